import {expect} from 'chai'
import {WriteQueue} from '../../src/pipeline/write-queue.js'

describe('pipeline: WriteQueue', () => {
  /** Adds tasks of these sizes; each records how many tasks and bytes were running when it started. */
  async function run(sizes: number[], limits: {bytes: number; count: number}) {
    const queue = new WriteQueue(limits)
    let running = 0
    let bytes = 0
    const started: Array<{running: number; bytes: number}> = []
    const finished: number[] = []
    for (const [index, size] of sizes.entries()) {
      await queue.add(size, async () => {
        running++
        bytes += size
        started.push({bytes, running})
        await new Promise((resolve) => setTimeout(resolve, 5))
        running--
        bytes -= size
        finished.push(index)
      })
    }

    await queue.drain()
    return {finished, started}
  }

  it('runs every task, at most `count` at a time', async () => {
    const {finished, started} = await run([1, 1, 1, 1, 1, 1, 1], {bytes: 100, count: 3})
    expect(finished.sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6])
    expect(Math.max(...started.map((entry) => entry.running))).to.equal(3)
  })

  it('runs a task larger than the byte budget alone', async () => {
    const {started} = await run([5, 5, 50, 5], {bytes: 20, count: 4})
    expect(started[2]).to.deep.equal({bytes: 50, running: 1})
    expect(Math.max(...started.filter((_, index) => index !== 2).map((entry) => entry.bytes))).to.be.at.most(20)
  })
})
