import {expect} from 'chai'
import {readAhead} from '../../src/kit/read-ahead.js'

/** Items of a given size whose reads finish in reverse order, recording what was in memory at each start. */
function tracked(sizes: number[]) {
  let live = 0
  let inFlight = 0
  const seen: Array<{item: number; inFlight: number; liveBytes: number}> = []
  const read = async (item: number) => {
    inFlight++
    live += sizes[item]
    seen.push({inFlight, item, liveBytes: live})
    await new Promise((resolve) => setTimeout(resolve, (sizes.length - item) * 2))
    inFlight--
    return `read ${item}`
  }

  const release = (item: number) => (live -= sizes[item])
  return {read, release, seen}
}

describe('kit: readAhead', () => {
  it('yields every item with its result in order, however the reads finish', async () => {
    const {read, release} = tracked([1, 1, 1, 1, 1, 1])
    const order: string[] = []
    for await (const [item, result] of readAhead([0, 1, 2, 3, 4, 5], () => 1, read, {bytes: 100, count: 3})) {
      order.push(result)
      release(item)
    }

    expect(order).to.deep.equal(['read 0', 'read 1', 'read 2', 'read 3', 'read 4', 'read 5'])
  })

  it('keeps at most `count` reads in flight', async () => {
    const {read, release, seen} = tracked([1, 1, 1, 1, 1, 1])
    for await (const [item] of readAhead([0, 1, 2, 3, 4, 5], () => 1, read, {bytes: 100, count: 2})) release(item)
    expect(Math.max(...seen.map((entry) => entry.inFlight))).to.equal(2)
  })

  it('fills the byte budget exactly, no further', async () => {
    const sizes = [10, 10, 10]
    const {read, release, seen} = tracked(sizes)
    for await (const [item] of readAhead([0, 1, 2], (item) => sizes[item], read, {bytes: 20, count: 4})) release(item)
    expect(seen.map((entry) => entry.liveBytes)).to.deep.equal([10, 20, 20])
  })

  it('reads a session larger than the byte budget alone, nothing else read or held beside it', async () => {
    const sizes = [5, 5, 50, 5, 5]
    const {read, release, seen} = tracked(sizes)
    for await (const [item] of readAhead([0, 1, 2, 3, 4], (item) => sizes[item], read, {bytes: 20, count: 4})) release(item)
    expect(seen.find((entry) => entry.item === 2)).to.deep.include({inFlight: 1, liveBytes: 50})
    expect(Math.max(...seen.filter((entry) => entry.item !== 2).map((entry) => entry.liveBytes))).to.be.at.most(20)
  })
})
