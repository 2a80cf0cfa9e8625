import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {claimWatch} from '../../src/pipeline/watch-claim.js'
import {tempDir} from '../helpers/cli.js'

describe('claimWatch', () => {
  const claims = (cache: string) => (existsSync(path.join(cache, 'watches')) ? readdirSync(path.join(cache, 'watches')) : [])
  const claimant = (cache: string) => JSON.parse(readFileSync(path.join(cache, 'watches', claims(cache)[0]), 'utf8'))
  /** The cache of a machine where another process claimed the folder first. */
  const claimedBy = async (pid: number) => {
    const [cache, output] = [tempDir(), tempDir()]
    await (await claimWatch(cache, output)).release()
    expect(claims(cache)).to.deep.equal([])
    await claimWatch(cache, output)
    const [name] = claims(cache)
    writeFileSync(path.join(cache, 'watches', name), JSON.stringify({host: HOST_TAG, pid, run: 'another-run'}))
    return {cache, output}
  }

  it('claims the output folder in the cache while this watch runs, and lets go of it when it stops', async () => {
    const [cache, output] = [tempDir(), tempDir()]
    const claim = await claimWatch(cache, output)
    expect(claim.alreadyWatching).to.equal(null)
    expect(claimant(cache)).to.include({host: HOST_TAG, pid: process.pid})
    expect(readdirSync(output)).to.deep.equal([])
    await claim.release()
    expect(claims(cache)).to.deep.equal([])
  })

  it('names another watch of this machine that keeps the folder current already, and leaves its claim', async () => {
    // A process that is running: the one that started these tests.
    const {cache, output} = await claimedBy(process.ppid)
    const claim = await claimWatch(cache, output)
    expect(claim.alreadyWatching).to.equal(`sessionsync process ${process.ppid}`)
    await claim.release()
    expect(claimant(cache).pid).to.equal(process.ppid)
  })

  it('takes over the claim of a watch that was killed, and claims nothing where nothing was exported', async () => {
    const {cache, output} = await claimedBy(2 ** 22 + 1)
    expect((await claimWatch(cache, output)).alreadyWatching).to.equal(null)
    expect(claimant(cache).pid).to.equal(process.pid)
    const elsewhere = tempDir()
    expect((await claimWatch(elsewhere, path.join(tempDir(), 'out'))).alreadyWatching).to.equal(null)
    expect(claims(elsewhere)).to.deep.equal([])
  })
})
