import {expect} from 'chai'
import {remembered} from '../../src/kit/remembered.js'
import {memoryMemo} from '../helpers/reader-context.js'

describe('kit: remembered', () => {
  const asNumber = (value: unknown) => (typeof value === 'number' ? value : undefined)

  it('finds once per fingerprint, then answers from the memo', async () => {
    const memo = memoryMemo()
    let finds = 0
    const find = async () => ++finds
    expect(await remembered(memo, 'file', '10:1', asNumber, find)).to.equal(1)
    expect(await remembered(memo, 'file', '10:1', asNumber, find)).to.equal(1)
    expect(await remembered(memo, 'file', '11:2', asNumber, find)).to.equal(2)
    expect(finds).to.equal(2)
  })

  it('finds again when nothing was found, or when the memo holds what parse rejects', async () => {
    const memo = memoryMemo()
    let finds = 0
    expect(await remembered(memo, 'empty', '0:1', asNumber, async () => (finds++, null))).to.equal(null)
    expect(await remembered(memo, 'empty', '0:1', asNumber, async () => (finds++, null))).to.equal(null)
    memo.set('old', '1:1', 'a string from another version')
    expect(await remembered(memo, 'old', '1:1', asNumber, async () => (finds++, 7))).to.equal(7)
    expect(finds).to.equal(3)
  })
})
