import {existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Interfaces} from '@oclif/core'
import {expect} from 'chai'
import type {Reader} from '../../src/plugin-api.js'
import type {Log} from '../../src/pipeline/plan.js'
import type {AgentReport, SyncOptions, SyncReport} from '../../src/pipeline/sync.js'
import {UnchangedRunRecorder} from '../../src/unchanged-run/recorder.js'
import {tempDir} from '../helpers/cli.js'

describe('the record of a run that left every export up to date', () => {
  let root: string
  let output: string
  let saved: string | undefined
  const silent: Log = {debug() {}, info() {}, warn() {}}
  const reader = (inputs?: Reader['inputs']) => ({agent: 'example', discover: async function* () {}, displayName: 'Example', inputs, locate: async () => [], read: async () => ({})}) as unknown as Reader
  const start = (readers: Reader[], branch: string | null = null, since: string | null = null, plugins: Array<Partial<Interfaces.Plugin>> = []) => {
    const config = {dataDir: path.join(root, 'data'), getPluginsList: () => plugins, root: path.join(root, 'install')} as unknown as Interfaces.Config
    return UnchangedRunRecorder.start(config, ['sync'], {branch, env: {HOME: root}, output, readerOptions: {}, readers, since, workspaces: null} as unknown as SyncOptions, silent)
  }

  const agent: AgentReport = {agent: 'example', displayName: 'Example', failed: 0, found: 2, installed: true, redacted: 1, upToDate: 1, warnings: 0, written: 1}
  const report = (changes: Partial<AgentReport> = {}, files = ['example/a.md', 'example/b.md']): SyncReport => ({agents: [{...agent, ...changes}], expiringUnexported: 0, files, interrupted: false, noRoom: null, unmatchedSessions: [], written: ['example/b.md']})
  const records = () => (existsSync(path.join(root, 'cache', 'runs')) ? readdirSync(path.join(root, 'cache', 'runs')) : [])

  beforeEach(() => {
    root = tempDir()
    output = path.join(root, 'out')
    mkdirSync(path.join(output, 'example'), {recursive: true})
    for (const name of ['a.md', 'b.md']) writeFileSync(path.join(output, 'example', name), 'exported')
    saved = process.env.SESSIONSYNC_CACHE_DIR
    process.env.SESSIONSYNC_CACHE_DIR = path.join(root, 'cache')
  })

  afterEach(() => {
    if (saved === undefined) delete process.env.SESSIONSYNC_CACHE_DIR
    else process.env.SESSIONSYNC_CACHE_DIR = saved
  })

  it('says what a run with nothing to do says: everything found, up to date', async () => {
    const recorder = await start([reader(async () => [path.join(root, 'agent')])])
    let summarized: SyncReport | undefined
    await recorder!.finish(report(), (outcome) => {
      summarized = outcome
      return 'summary'
    })
    expect(records()).to.have.length(1)
    expect(summarized!.agents).to.deep.equal([{...agent, redacted: 0, upToDate: 2, written: 0}])
  })

  it('is not made when an export the run counted on is missing, or the run warned', async () => {
    const recorder = await start([reader(async () => [])])
    await recorder!.finish(report({}, ['example/a.md', 'example/gone.md']), () => 'summary')
    await recorder!.finish(report({warnings: 1}), () => 'summary')
    await recorder!.finish(report({failed: 1}), () => 'summary')
    const listened = await start([reader(async () => [])])
    listened!.listen(silent).info('a note beside the summary')
    await listened!.finish(report(), () => 'summary')
    expect(records()).to.be.empty
  })

  it('is kept with the newest 63 others, none older than a month', async () => {
    const folder = path.join(root, 'cache', 'runs')
    mkdirSync(folder, {recursive: true})
    const name = (index: number) => `${String(index).padStart(32, '0')}.json`
    const made = (index: number, hoursAgo: number) => {
      writeFileSync(path.join(folder, name(index)), '{}')
      const time = new Date(Date.now() - hoursAgo * 3_600_000)
      utimesSync(path.join(folder, name(index)), time, time)
    }

    const save = async () => (await start([reader(async () => [])]))!.finish(report(), () => 'summary')
    made(1, 1)
    made(2, 31 * 24)
    await save()
    expect(records()).to.have.length(2).and.include(name(1)).and.not.include(name(2))
    // Record 100 is the newest of these, 169 the oldest: with the new one and record 1, 100 to 161 stay.
    for (let index = 100; index < 170; index++) made(index, index - 99)
    await save()
    expect(records()).to.have.length(64).and.include(name(100)).and.include(name(161)).and.not.include(name(162))
  })

  it('costs the run nothing when it cannot be saved', async () => {
    const recorder = await start([reader(async () => [])])
    writeFileSync(path.join(root, 'cache'), 'a file where the cache folder would be')
    await recorder!.finish(report(), () => 'summary')
  })

  it('is not made with a linked plugin, whose code may change outside what is stamped', async () => {
    const plugin = (type: string) => ({name: 'sessionsync-plugin-example', root: path.join(root, 'plugin'), type})
    expect(await start([reader(async () => [])], null, null, [plugin('user')])).to.not.equal(null)
    expect(await start([reader(async () => [])], null, null, [plugin('user'), plugin('link')])).to.equal(null)
  })

  it('is not made for a reader that does not say what it depends on, nor with --branch or --since', async () => {
    expect(await start([reader(async () => [])])).to.not.equal(null)
    expect(await start([reader(async () => []), reader()])).to.equal(null)
    expect(await start([reader(async () => [])], 'main')).to.equal(null)
    expect(await start([reader(async () => [])], null, '2026-11-01T00:00:00.000Z')).to.equal(null)
    expect(await start([reader(async () => {throw new Error('no idea')})])).to.equal(null)
  })
})
