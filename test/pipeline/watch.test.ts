import {expect} from 'chai'
import {FSWatcher} from 'chokidar'
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Contribution, ReaderContext} from '../../src/plugin-api.js'
import {PacedRecords, RECORD_BYTES_PER_SECOND} from '../../src/pipeline/paced-records.js'
import type {Log} from '../../src/pipeline/plan.js'
import type {SyncReport} from '../../src/pipeline/sync.js'
import {runSync, type SyncOptions} from '../../src/pipeline/sync.js'
import {ExportWatcher, type WatchOptions} from '../../src/pipeline/watch.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
// @ts-expect-error: the example plugin is plain JavaScript, like many third-party plugins
import registerExample from '../fixtures/plugins/sessionsync-plugin-example/register.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

const quiet: Log = {debug() {}, info() {}, warn() {}}

describe('watch', () => {
  let home: string
  let output: string
  let watcher: ExportWatcher | undefined
  let reports: SyncReport[]

  beforeEach(async () => {
    const root = tempDir()
    home = path.join(root, 'agent')
    output = path.join(root, 'out')
    reports = []
    mkdirSync(home)
    writeSession('000.json', fixtureSession('rich'))
  })

  afterEach(async () => watcher?.stop())

  const options = async (): Promise<SyncOptions> => {
    const {readers} = (await registerExample()) as Contribution
    return {
      attachments: true, branch: null, cacheDir: null, env: {EXAMPLE_AGENT_HOME: home, HOME: home}, force: false, maxOutputChars: null, output, outputSalt: {core: 'test', readers: {}, writer: 'a-writer@1.0.0'},
      readerOptions: {}, readers: readers!, redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: markdownWriter,
    }
  }

  const start = async (debounceMs = 50, adjust: (syncOptions: SyncOptions) => SyncOptions = (same) => same, watchOptions: Partial<WatchOptions> = {}) => {
    const syncOptions = adjust(await options())
    await runSync(syncOptions, quiet)
    watcher = new ExportWatcher(syncOptions, {debounceMs, locateIntervalMs: 100, onExport: (report) => reports.push(report), ...watchOptions}, quiet)
    await watcher.start()
  }

  const writeSession = (name: string, session: object) => writeFileSync(path.join(home, name), JSON.stringify({...session, workspace: home}))
  const exported = () => readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md'))
  const exportedText = () => exported().map((name) => readFileSync(path.join(output, 'example', name), 'utf8')).join('\n')

  it('re-exports a session within a second of its source changing, and only that session', async () => {
    writeSession('001.json', fixtureSession('empty'))
    await start()
    reports = []
    const rich = fixtureSession('rich')
    rich.messages.push({blocks: [{text: 'One more thing.', type: 'text'}], id: 'u9', model: null, role: 'user', timestamp: '2026-11-20T10:00:00.000Z', usage: null})
    writeSession('000.json', rich)
    const report = await waitFor(() => reports.find((candidate) => candidate.written.length > 0), 1000)
    expect(report.written).to.have.length(1)
    expect(readFileSync(path.join(output, report.written[0]), 'utf8')).to.contain('One more thing.')
  })

  const folderWatches = {
    'watched whole': {},
    // As a project folder of thousands of sessions is: chokidar would list it again at every change.
    'watched entry by entry, its entries found by the next look': {largeFolderEntries: 0},
  }

  for (const [how, watchOptions] of Object.entries(folderWatches)) it(`after an agent writes or creates session files in a folder ${how}, discovers those files alone; after one is deleted or a folder appears, everything`, async () => {
    const discoveries = {files: [] as string[][], whole: 0}
    // The example agent, able to describe a file's session alone, as Claude Code's and Pi's readers are.
    const countingDiscoveries = (syncOptions: SyncOptions): SyncOptions => ({
      ...syncOptions,
      readers: syncOptions.readers.map((reader) => ({
        ...reader,
        async *discover(roots: string[], ctx: ReaderContext) {
          discoveries.whole++
          yield* reader.discover(roots, ctx)
        },
        async *discoverFiles(files: string[], roots: string[], ctx: ReaderContext) {
          discoveries.files.push(files)
          for await (const ref of reader.discover(roots, ctx)) if (files.includes(ref.sourcePath)) yield ref
        },
      })),
    })
    writeSession('001.json', fixtureSession('empty'))
    await start(50, countingDiscoveries, watchOptions)
    const exportShowing = (text: string) => waitFor(() => reports.find((report) => report.written.some((file) => readFileSync(path.join(output, file), 'utf8').includes(text))), 2000)
    const file = (name: string) => path.join(home, name)
    // The first change after starting: nothing discovered in this process to build on yet.
    writeSession('000.json', {...fixtureSession('rich'), title: 'First change'})
    await exportShowing('First change')
    await watcher!.idle()
    const whole = discoveries.whole

    writeSession('000.json', {...fixtureSession('rich'), title: 'Second change'})
    expect((await exportShowing('Second change')).written).to.have.length(1)
    expect(discoveries.files.at(-1)).to.deep.equal([file('000.json')])

    writeSession('002.json', {...fixtureSession('empty'), id: 'new-session-1234', title: 'Brand new'})
    await waitFor(() => exported().find((name) => name.includes('brand-new')), 2000)
    expect(discoveries.files.at(-1)).to.deep.equal([file('000.json'), file('002.json')])

    // Another file may hold a session of the same id as the deleted one's: everything is discovered again, once.
    rmSync(file('001.json'))
    await waitFor(() => discoveries.whole > whole, 2000)
    await watcher!.idle()
    expect(exported()).to.have.length(3)
    const wholeAfterDeletion = discoveries.whole
    writeSession('000.json', {...fixtureSession('rich'), title: 'Third change'})
    await exportShowing('Third change')
    expect(discoveries.whole).to.equal(wholeAfterDeletion)

    // A folder holds no session file of its own, but may hold anything: everything is discovered again.
    mkdirSync(path.join(home, 'archive'))
    await waitFor(() => discoveries.whole > wholeAfterDeletion, 2000)
  })

  it('gives chokidar a large folder as its entries, and a small one whole', async () => {
    const add = FSWatcher.prototype.add
    const added: string[] = []
    FSWatcher.prototype.add = function (this: FSWatcher, ...args: Parameters<typeof add>) {
      added.push(...[args[0]].flat())
      return add.apply(this, args)
    }

    try {
      writeSession('001.json', fixtureSession('empty'))
      mkdirSync(path.join(home, 'archive'))
      await start(50, undefined, {largeFolderEntries: 2})
      expect(added.sort()).to.deep.equal(['000.json', '001.json', 'archive'].map((name) => path.join(home, name)))
      // A change inside a subfolder watched whole is the agent's too.
      reports = []
      writeFileSync(path.join(home, 'archive', 'note.txt'), 'moved here')
      await waitFor(() => reports.length > 0, 2000)
      await watcher!.stop()
      added.length = 0
      await start(50, undefined, {largeFolderEntries: 3})
      expect(added).to.deep.equal([home])
    } finally {
      FSWatcher.prototype.add = add
    }
  })

  it('sees a session started in a folder watched entry by entry at once, not only at the next look', async () => {
    await start(50, undefined, {largeFolderEntries: 0, locateIntervalMs: 60_000})
    writeSession('002.json', {...fixtureSession('empty'), id: 'new-session-1234', title: 'Brand new'})
    await waitFor(() => exported().find((name) => name.includes('brand-new')), 2000)
    // The folder moved away is seen at once too (its coming back, at the next look).
    const before = reports.length
    renameSync(home, `${home}-away`)
    await waitFor(() => reports.length > before, 2000)
  })

  it('watches again the entries of a folder watched entry by entry that came back as it was, and a file deleted and written again', async () => {
    writeSession('001.json', fixtureSession('empty'))
    await start(50, undefined, {largeFolderEntries: 0})
    const looks = () => new Promise((resolve) => setTimeout(resolve, 400))
    // Long unchanged, as a project folder often is: its time of change says no entry arrived since the last look.
    const minuteAgo = new Date(Date.now() - 60_000)
    utimesSync(home, minuteAgo, minuteAgo)
    await looks()
    // Moved away and back, it keeps its time of change.
    renameSync(home, `${home}-away`)
    await looks()
    renameSync(`${home}-away`, home)
    await looks()
    writeSession('000.json', {...fixtureSession('rich'), title: 'After coming back'})
    await waitFor(() => exportedText().includes('After coming back'), 2000)

    rmSync(path.join(home, '001.json'))
    await looks()
    writeSession('001.json', {...fixtureSession('empty'), title: 'Written again'})
    await waitFor(() => exportedText().includes('Written again'), 2000)
    writeSession('001.json', {...fixtureSession('empty'), title: 'And changed'})
    await waitFor(() => exportedText().includes('And changed'), 2000)
  })

  it('starts when chokidar is ready before the last agent is located', async () => {
    // Chokidar says it is ready once, when the paths added so far are watched: here, while the
    // second agent is still being located, if the first agent's paths were added already.
    const add = FSWatcher.prototype.add
    let readyAfterFirstAdd: Promise<void> | undefined
    FSWatcher.prototype.add = function (this: FSWatcher, ...args: Parameters<typeof add>) {
      if ([args[0]].flat().length > 0) readyAfterFirstAdd ??= new Promise<void>((resolve) => this.once('ready', () => resolve()))
      return add.apply(this, args)
    }

    try {
      await start(50, (syncOptions) => {
        const [reader] = syncOptions.readers
        const locatedLast = {
          ...reader,
          agent: 'later',
          displayName: 'Later',
          async locate() {
            await readyAfterFirstAdd
            return []
          },
        }
        return {...syncOptions, readers: [reader, locatedLast]}
      })
    } finally {
      FSWatcher.prototype.add = add
    }
  })

  it('exports new sessions on their own and keeps exports whose source is deleted', async () => {
    await start()
    writeSession('002.json', {...fixtureSession('empty'), id: 'new-session-1234', title: 'Brand new'})
    await waitFor(() => exported().find((name) => name.includes('brand-new')), 2000)
    rmSync(path.join(home, '002.json'))
    await new Promise((resolve) => setTimeout(resolve, 200))
    await watcher!.idle()
    expect(exported().some((name) => name.includes('brand-new'))).to.equal(true)
  })

  it('says why nothing was found only once, not again at each change an agent makes elsewhere', async () => {
    const said: string[] = []
    const listening: Log = {...quiet, info: (message) => said.push(message)}
    const syncOptions = {...(await options()), workspaces: [tempDir()]}
    await runSync(syncOptions, listening)
    expect(said.join('\n')).to.contain('The agents recorded sessions in this folder:')
    said.length = 0
    watcher = new ExportWatcher(syncOptions, {debounceMs: 20, locateIntervalMs: 100, onExport: (report) => reports.push(report)}, listening)
    await watcher.start()
    writeSession('001.json', fixtureSession('empty'))
    await waitFor(() => reports.length > 0, 2000)
    expect(said).to.deep.equal([])
  })

  it('starts exporting an agent that is installed only after watching began', async () => {
    rmSync(home, {recursive: true})
    await start()
    mkdirSync(home)
    writeSession('000.json', fixtureSession('rich'))
    await waitFor(() => existsSync(path.join(output, 'example')) && exported().length > 0, 3000)
  })

  const goings = {
    'moved away': () => renameSync(home, `${home}-away`),
    removed: () => rmSync(home, {recursive: true}),
  }

  for (const [what, go] of Object.entries(goings)) for (const [how, watchOptions] of Object.entries(folderWatches)) {
    it(`watches again a folder ${how}, ${what} and made anew`, async () => {
      await start(50, undefined, watchOptions)
      reports = []
      go()
      // The export its going brings: chokidar has seen it go.
      await waitFor(() => reports.length > 0, 2000)
      mkdirSync(home)
      const session = {...fixtureSession('empty'), id: 'new-session-1234', title: 'Brand new'}
      writeSession('002.json', session)
      await waitFor(() => exported().some((name) => name.includes('brand-new')), 3000)
      // Exported by the rediscovery that the folder's going away brought, perhaps: only a change
      // made after it shows that the folder is watched again.
      await watcher!.idle()
      writeSession('002.json', {...session, summary: 'Written after it came back'})
      await waitFor(() => exportedText().includes('Written after it came back'), 3000)
    })
  }

  it('exports a session that is written without pause, before the writing stops', async () => {
    await start(100)
    reports = []
    // A write every 30 ms, never 100 ms of quiet, until the export: it comes within ten quiet
    // times. The writing goes on until then, so the bound only stops a watch that waits for quiet;
    // it leaves a loaded machine time for the export itself.
    let writes = 0
    const writing = setInterval(() => writeSession('000.json', {...fixtureSession('rich'), title: `draft ${++writes}`}), 30)
    try {
      await waitFor(() => reports.some((report) => report.written.length > 0), 5000)
    } finally {
      clearInterval(writing)
    }
  })

  // Chokidar drops a file's change that comes within 50 ms of the one it told of: a last write then,
  // after the export read the file, would stay out of the export until the agent wrote again.
  describe('a change that came just before an export', () => {
    const changeAndWait = async () => {
      reports = []
      writeSession('000.json', {...fixtureSession('rich'), title: 'changed'})
      await waitFor(() => reports.some((report) => report.written.length > 0), 2000)
      await watcher!.idle()
      await new Promise((resolve) => setTimeout(resolve, 300))
      await watcher!.idle()
    }

    it('brings a second look at the file, which writes nothing when nothing more came', async () => {
      // A wide window, so that the export surely starts in it on a busy machine.
      await start(0, undefined, {droppedChangesMs: 500})
      await changeAndWait()
      expect(reports[0].written).to.have.length(1)
      expect(reports.length).to.be.at.least(2)
      expect(reports.slice(1).flatMap((report) => report.written)).to.deep.equal([])
    })

    it('does not, when the export started after chokidar would tell of a next write', async () => {
      await start(200)
      await changeAndWait()
      expect(reports).to.have.length(1)
    })
  })

  it('rests after an export four times as long as it took', async () => {
    const reads: Array<{start: number; end: number}> = []
    // Every read takes 200 ms, as a long session does.
    const slowly = (syncOptions: SyncOptions): SyncOptions => ({
      ...syncOptions,
      readers: syncOptions.readers.map((reader) => ({
        ...reader,
        async read(...args: Parameters<typeof reader.read>) {
          const start = Date.now()
          await new Promise((resolve) => setTimeout(resolve, 200))
          const session = await reader.read(...args)
          reads.push({end: Date.now(), start})
          return session
        },
      })),
    })
    await start(20, slowly)
    reads.length = 0
    writeSession('000.json', {...fixtureSession('rich'), title: 'first change'})
    await waitFor(() => reads.length === 1, 2000)
    writeSession('000.json', {...fixtureSession('rich'), title: 'second change'})
    await waitFor(() => reads.length === 2, 4000)
    const [first, second] = reads
    expect(second.start - first.end).to.be.at.least(4 * (first.end - first.start) - 50)
  })

  describe('the state file and the index', () => {
    const startPaced = async (recordsMs: number) => {
      const syncOptions = await options()
      await runSync(syncOptions, quiet)
      // Quiet longer than chokidar's 50 ms: no second look at the file (which may save the records) follows an export.
      watcher = new ExportWatcher(syncOptions, {debounceMs: 60, locateIntervalMs: 100, onExport: (report) => reports.push(report), recordsMs}, quiet)
      await watcher.start()
      return syncOptions
    }

    const indexed = () => readFileSync(path.join(output, 'index.json'), 'utf8')
    const change = async (title: string) => {
      // Chokidar drops a file's change that comes within 50 ms of the one it last told.
      await new Promise((resolve) => setTimeout(resolve, 100))
      reports = []
      writeSession('000.json', {...fixtureSession('rich'), title})
      await waitFor(() => reports.find((report) => report.written.length > 0), 2000)
      await watcher!.idle()
    }

    it('are saved at once after a quiet time, then at most every so often while an agent writes, and when watch stops', async () => {
      const syncOptions = await startPaced(60_000)
      await change('First change')
      expect(indexed()).to.contain('First change')
      await change('Second change')
      expect(exportedText()).to.contain('Second change')
      expect(indexed()).to.not.contain('Second change')
      await change('Third change')
      expect(indexed()).to.not.contain('Third change')
      await watcher!.stop()
      expect(indexed()).to.contain('Third change')
      // Recorded: the export is current for the next run.
      expect((await runSync(syncOptions, quiet)).written).to.deep.equal([])
    })

    it('are paced by the bytes of the state file and the index an export wrote', async () => {
      const records = new PacedRecords(0)
      await runSync({...(await options()), records}, quiet)
      const bytes = ['.sessionsync/state.json', '.sessionsync/index-format', 'index.json', 'INDEX.md'].reduce((sum, name) => sum + statSync(path.join(output, name)).size, 0)
      expect(records.gapMs).to.equal((bytes / RECORD_BYTES_PER_SECOND) * 1000)
    })

    it('are saved when due, though no more change comes', async () => {
      await startPaced(600)
      await change('First change')
      await change('Second change')
      expect(indexed()).to.not.contain('Second change')
      await waitFor(() => indexed().includes('Second change'), 2000)
    })
  })

  it('exports, as it stops, the changes that waited for quiet', async () => {
    // Quiet is waited for longer than the test: only stopping exports the change.
    await start(60_000)
    reports = []
    writeSession('000.json', {...fixtureSession('rich'), title: 'written just before watch stopped'})
    await waitFor(() => watcher!.busy, 2000)
    await watcher!.stop()
    expect(reports.flatMap((report) => report.written)).to.have.length(1)
    expect(exportedText()).to.contain('written just before watch stopped')
  })

  it('stops cleanly, finishing the export under way and leaving no temporary file', async () => {
    await start()
    writeSession('000.json', {...fixtureSession('rich'), title: 'changed'})
    await new Promise((resolve) => setTimeout(resolve, 60))
    await watcher!.stop()
    const leftovers = readdirSync(path.join(output, 'example'), {recursive: true}).filter((name) => String(name).endsWith('.tmp'))
    expect(leftovers).to.deep.equal([])
  })
})

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = probe()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

