import {expect} from 'chai'
import {BufferPool} from '../../src/kit/buffer-pool.js'

describe('kit: BufferPool', () => {
  it('hands back a buffer given to it, and a new one when none waits', () => {
    let created = 0
    const pool = new BufferPool(() => (created++, new Uint8Array(4)), 2)
    const first = pool.take()
    const second = pool.take()
    expect(first).not.to.equal(second)
    pool.give(first)
    expect(pool.take()).to.equal(first)
    expect(created).to.equal(2)
  })

  it('keeps no more than it was told to', () => {
    let created = 0
    const pool = new BufferPool(() => (created++, new Uint8Array(4)), 2)
    const taken = [pool.take(), pool.take(), pool.take()]
    for (const buffer of taken) pool.give(buffer)
    pool.take()
    pool.take()
    pool.take()
    expect(created).to.equal(4)
  })
})
