import {expect} from 'chai'
import {sharedLoad} from '../../src/kit/shared-load.js'
import {readerContext} from '../helpers/reader-context.js'

describe('kit: sharedLoad', () => {
  it('shares a load with the next reads of the same key in a run, and lets it go at another key', async () => {
    const run = readerContext({})
    let loads = 0
    const load = async () => ++loads
    expect(await sharedLoad(run, 'a.jsonl', load, true)).to.equal(1)
    expect(await sharedLoad(run, 'a.jsonl', load, true)).to.equal(1)
    expect(await sharedLoad(run, 'b.jsonl', load, false)).to.equal(2, 'another file')
    expect(await sharedLoad(run, 'a.jsonl', load, true)).to.equal(3, 'let go when another file was read')
    expect(await sharedLoad(readerContext({}), 'a.jsonl', load, true)).to.equal(4, 'a new run loads again')
  })

  it('keeps nothing for a read that says none follow', async () => {
    const run = readerContext({})
    let loads = 0
    const load = async () => ++loads
    await sharedLoad(run, 'a.jsonl', load, false)
    expect(await sharedLoad(run, 'a.jsonl', load, false)).to.equal(2)
  })
})
