import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Contribution, Reader, Writer} from '../../src/plugin-api.js'
import type {Log} from '../../src/pipeline/plan.js'
import {runSync, type SyncOptions} from '../../src/pipeline/sync.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {piReader} from '../../plugins/reader-pi/src/reader.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {IDS, piHome} from '../readers/pi/pi-home.js'
// @ts-expect-error: the example plugin is plain JavaScript, like many third-party plugins
import registerExample from '../fixtures/plugins/sessionsync-plugin-example/register.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

const quiet: Log = {debug() {}, info() {}, warn() {}}

describe('incremental export', () => {
  let reads: string[]
  let options: SyncOptions
  let home: string
  /** More sessions beside the two fixtures: copies of the rich one, each with an id of its own. */
  const addSessions = (count: number) => {
    for (let index = 0; index < count; index++) writeFileSync(path.join(home, `more-${index}.json`), JSON.stringify({...fixtureSession('rich'), id: `5e551011-0000-4000-8000-0000000000${String(index).padStart(2, '0')}`}))
  }

  beforeEach(async () => {
    home = tempDir()
    for (const name of ['rich', 'subagent']) writeFileSync(path.join(home, `${name}.json`), JSON.stringify(fixtureSession(name)))
    const [example] = ((await registerExample()) as Contribution).readers!
    reads = []
    const counting: Reader = {...example, read: (ref, ctx) => (reads.push(ref.id), example.read(ref, ctx))}
    options = {
      attachments: true, branch: null, cacheDir: null, env: {EXAMPLE_AGENT_HOME: home}, force: false, maxOutputChars: null, output: tempDir(),
      outputSalt: {core: '1.0.0', readers: {example: 'sessionsync-plugin-example@1.0.0', pi: '@sessionsync/reader-pi@0.1.0'}, writer: '@sessionsync/writer-json@0.1.0'},
      readerOptions: {}, readers: [counting], redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: jsonWriter,
    }
  })

  it('tells how many sessions it has found while it looks, and when it is done looking', async () => {
    const found: Array<[number | null, string]> = []
    await runSync(options, {...quiet, finding: (count, agent) => found.push([count, agent])})
    expect(found).to.deep.equal([[1, 'example'], [2, 'example'], [null, 'example']])
  })

  it('reads no session content when nothing changed', async () => {
    await runSync(options, quiet)
    expect(reads).to.have.length(2)
    reads = []
    const written = (file: string) => statSync(path.join(options.output, file)).mtimeMs
    const before = [written('.sessionsync/state.json'), written('INDEX.md')]
    const again = await runSync(options, quiet)
    expect(reads).to.deep.equal([])
    expect(again.agents[0]).to.include({upToDate: 2, written: 0})
    expect([written('.sessionsync/state.json'), written('INDEX.md')], 'state and index left as they were').to.deep.equal(before)
  })

  it('writes again, alone, an export that was deleted, and the one of a subagent in its parent\'s folder', async () => {
    const first = await runSync(options, quiet)
    const nested = first.files.find((file) => file.split('/').length > 2)!
    expect(nested, 'a subagent is exported inside its parent\'s folder').to.not.equal(undefined)
    for (const file of first.files) {
      rmSync(path.join(options.output, file))
      reads = []
      const again = await runSync(options, quiet)
      expect(again.written, file).to.deep.equal([file])
      expect(reads, file).to.have.length(1)
      expect(existsSync(path.join(options.output, file)), file).to.equal(true)
    }
  })

  it('writes the index back when it went missing, though nothing else changed', async () => {
    await runSync(options, quiet)
    rmSync(path.join(options.output, 'INDEX.md'))
    await runSync(options, quiet)
    expect(readFileSync(path.join(options.output, 'INDEX.md'), 'utf8')).to.contain('Fix the flaky upload test')
  })

  it('writes the index again when something else changed it (a merge), though nothing was exported', async () => {
    await runSync(options, quiet)
    const index = path.join(options.output, 'INDEX.md')
    const json = path.join(options.output, 'index.json')
    const written = [readFileSync(index, 'utf8'), readFileSync(json, 'utf8')]
    writeFileSync(index, written[0].replace('\n- ', '\n<<<<<<< HEAD\n- ').replace(/\n$/, '\n=======\n>>>>>>> theirs\n'))
    writeFileSync(json, written[1].replace('"sessions": [', '"sessions": [\n    {"id": "merged by git"},'))
    const again = await runSync(options, quiet)
    expect(again.agents[0]).to.include({written: 0})
    expect([readFileSync(index, 'utf8'), readFileSync(json, 'utf8')]).to.deep.equal(written)
  })

  it('reads a state file git left with conflict markers as both sides, says so once, and writes the state and the index again, though nothing is exported', async () => {
    await runSync(options, quiet)
    const stateFile = path.join(options.output, '.sessionsync/state.json')
    const [head, ...lines] = readFileSync(stateFile, 'utf8').split('\n')
    const sessions = lines.filter((line) => line.startsWith('"'))
    // The other side exported one more session, from another machine.
    const [key, session] = Object.entries(JSON.parse(readFileSync(stateFile, 'utf8')).sessions)[0] as [string, {facts: {id: string; title: string}}]
    const theirs = {...session, facts: {...session.facts, id: 'f0f0f0f0-0000-4000-8000-000000000000', title: 'Made on another machine'}}
    const theirsLine = `"example/f0f0f0f0-0000-4000-8000-000000000000":${JSON.stringify(theirs)}`
    expect(key < 'example/f0f0f0f0').to.equal(true)
    writeFileSync(stateFile, [head, '<<<<<<< HEAD', ...sessions, '=======', ...sessions.slice(0, -1), `${sessions.at(-1)},`, theirsLine, '>>>>>>> theirs', '}}', ''].join('\n'))
    reads = []
    const infos: string[] = []
    const again = await runSync(options, {...quiet, info: (message) => infos.push(message)})
    expect(again.agents[0]).to.include({upToDate: 2, written: 0})
    expect(reads).to.deep.equal([])
    expect(infos).to.deep.equal(['the state file .sessionsync/state.json had merge conflicts: the sessions of both sides are kept, and the state and the index are written again from them'])
    const written = readFileSync(stateFile, 'utf8')
    expect(written).to.not.contain('<<<<<<<')
    expect(Object.keys(JSON.parse(written).sessions)).to.have.length(3)
    expect(readFileSync(path.join(options.output, 'INDEX.md'), 'utf8')).to.contain('[Made on another machine]')
    expect(JSON.parse(readFileSync(path.join(options.output, 'index.json'), 'utf8')).sessions).to.have.length(3)
    infos.length = 0
    await runSync(options, {...quiet, info: (message) => infos.push(message)})
    expect(infos).to.deep.equal([])
  })

  it('links the index to the format of the last run, though that run had nothing to write', async () => {
    const links = () => [...readFileSync(path.join(options.output, 'INDEX.md'), 'utf8').matchAll(/\]\([^)]+\.(md|json)\)/g)].map((match) => match[1])
    await runSync({...options, writer: markdownWriter}, quiet)
    await runSync(options, quiet)
    expect(links()).to.deep.equal(['json', 'json'])
    reads = []
    // Both formats are up to date: nothing is read or written, but the index links to Markdown again.
    const again = await runSync({...options, writer: markdownWriter}, quiet)
    expect(again.agents[0]).to.include({written: 0})
    expect(reads).to.deep.equal([])
    expect(links()).to.deep.equal(['md', 'md'])
  })

  it('reads again only the session whose source changed', async () => {
    await runSync(options, quiet)
    reads = []
    writeFileSync(path.join(home, 'subagent.json'), JSON.stringify({...fixtureSession('subagent'), title: 'Longer title than before'}))
    await runSync(options, quiet)
    expect(reads).to.deep.equal(['agent-a1b2c3d'])
  })

  it('exports again a session whose file moved, though its size and time did not change, and records where it is now', async () => {
    await runSync(options, quiet)
    const moved = path.join(home, 'moved.json')
    renameSync(path.join(home, 'subagent.json'), moved)
    reads = []
    const again = await runSync(options, quiet)
    expect(reads).to.deep.equal(['agent-a1b2c3d'])
    expect(again.agents[0]).to.include({upToDate: 1, written: 1})
    const state = JSON.parse(readFileSync(path.join(options.output, '.sessionsync/state.json'), 'utf8'))
    expect(Object.values(state.sessions).map((session) => (session as {exports: {json: {source: string}}}).exports.json.source).sort()).to.deep.equal([moved, path.join(home, 'rich.json')])
    reads = []
    await runSync(options, quiet)
    expect(reads, 'recorded where it now is').to.deep.equal([])
  })

  it('names the new place of a moved Pi session file in its export', async () => {
    const pi = piHome()
    const piOptions = {...options, env: pi.env, readers: [piReader], writer: markdownWriter}
    await runSync(piOptions, quiet)
    const folder = path.join(pi.agentDir, 'sessions', '--home-dev-app--')
    const [name] = readdirSync(folder).filter((file) => file.includes(IDS.tree))
    const moved = path.join(folder, `moved-${name}`)
    renameSync(path.join(folder, name), moved)
    const again = await runSync(piOptions, quiet)
    expect(again.agents[0]).to.include({written: 1})
    const exported = readdirSync(path.join(options.output, 'pi')).filter((file) => file.endsWith('.md')).map((file) => readFileSync(path.join(options.output, 'pi', file), 'utf8')).find((text) => text.includes(`id: ${IDS.tree}\n`))
    expect(exported).to.include(`source: ${moved}\n`)
  })

  it('takes the branches exported with --all-branches for still there when a later sync does not ask for them, and mends a state that took them for gone', async () => {
    const pi = piHome()
    const piOptions = {...options, env: pi.env, readers: [piReader], writer: markdownWriter}
    await runSync({...piOptions, readerOptions: {allBranches: true}}, quiet)
    const indexFile = path.join(options.output, 'INDEX.md')
    const stateFile = path.join(options.output, '.sessionsync/state.json')
    expect(readFileSync(indexFile, 'utf8')).to.include('(branch 1)')
    await runSync(piOptions, quiet)
    expect(readFileSync(indexFile, 'utf8')).to.include('(branch 1)').and.not.to.match(/source gone since \d/)
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    const branches = Object.keys(state.sessions).filter((key) => key.includes('.branch-'))
    expect(branches).to.have.length(2)
    for (const key of branches) state.sessions[key].sourceGoneAt = '2026-11-30T00:00:00.000Z'
    writeFileSync(stateFile, JSON.stringify(state))
    await runSync(piOptions, quiet)
    const mended = JSON.parse(readFileSync(stateFile, 'utf8'))
    expect(branches.map((key) => mended.sessions[key].sourceGoneAt)).to.deep.equal([null, null])
    expect(readFileSync(indexFile, 'utf8')).to.include('(branch 1)').and.not.to.match(/source gone since \d/)
  })

  it("exports again when an option that shapes the output changes, or the version of sessionsync, of the writer's plugin or of the reader's", async () => {
    await runSync(options, quiet)
    const salt = options.outputSalt
    const newer = [{core: '1.1.0'}, {writer: '@sessionsync/writer-json@0.2.0'}, {readers: {...salt.readers, example: 'sessionsync-plugin-example@1.1.0'}}].map((changed) => ({outputSalt: {...salt, ...changed}}))
    for (const changed of [{tools: false}, {maxOutputChars: 500}, ...newer]) {
      reads = []
      await runSync({...options, ...changed}, quiet)
      expect(reads, JSON.stringify(changed)).to.have.length(2)
    }

    // Another agent's reader: these sessions are read by the example agent's.
    await runSync(options, quiet)
    reads = []
    await runSync({...options, outputSalt: {...salt, readers: {...salt.readers, pi: '@sessionsync/reader-pi@0.2.0'}}}, quiet)
    expect(reads).to.deep.equal([])
  })

  it('takes a state file of an earlier version (before forks, changed files and sizes were recorded) as it is, exporting nothing again', async () => {
    await runSync(options, quiet)
    const stateFile = path.join(options.output, '.sessionsync/state.json')
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    for (const session of Object.values(state.sessions) as Array<{facts: Record<string, unknown>; exports: Record<string, Record<string, unknown>>}>) {
      for (const field of ['forkedFrom', 'copiedMessages', 'filesChanged', 'tools', 'workspace']) delete session.facts[field]
      for (const record of Object.values(session.exports)) {
        delete record.bytes
        delete record.source
      }
    }

    writeFileSync(stateFile, JSON.stringify(state))
    // Without its index, the run writes it again, from that state.
    rmSync(path.join(options.output, 'INDEX.md'))
    reads = []
    const warnings: string[] = []
    const again = await runSync(options, {...quiet, warn: (message) => warnings.push(message)})
    expect(warnings).to.deep.equal([])
    expect(reads).to.deep.equal([])
    expect(again.agents[0]).to.include({upToDate: 2, written: 0})
    // The index it writes gives no size it does not know.
    const index = readFileSync(path.join(options.output, 'INDEX.md'), 'utf8')
    expect(index).to.match(/ · 8 msgs, 3 tool calls — /).and.to.not.match(/ KB/)
  })

  it('stops starting sessions once its signal is aborted, and records those it wrote, so the next run does only the rest', async () => {
    addSessions(10)
    const controller = new AbortController()
    const warnings: string[] = []
    const report = await runSync({...options, signal: controller.signal}, {...quiet, progress: () => controller.abort(), warn: (message) => warnings.push(message)})
    expect(report.interrupted).to.equal(true)
    const written = report.written.length
    expect(written).to.be.within(1, 11)
    expect(warnings).to.deep.equal([`interrupted: ${written} session${written === 1 ? '' : 's'} exported in this run ${written === 1 ? 'is' : 'are'} kept and recorded; run it again to export the rest`])
    const files = readdirSync(options.output, {recursive: true}).map(String)
    expect(files.filter((file) => file.endsWith('.tmp')), 'no temporary file left').to.deep.equal([])
    expect(Object.keys(JSON.parse(readFileSync(path.join(options.output, '.sessionsync/state.json'), 'utf8')).sessions)).to.have.length(written)

    reads = []
    const rest = await runSync(options, quiet)
    expect(rest.interrupted).to.equal(false)
    expect(reads).to.have.length(12 - written)
    expect(rest.agents[0]).to.include({upToDate: written, written: 12 - written})
  })

  it('records its progress while it exports, so a run killed midway (no signal handler sees kill -9) is not done again', async () => {
    addSessions(10)
    // The last session's read waits while the test looks at the state file, as a run stuck (or killed) there would.
    let release!: () => void
    const stuck = new Promise<void>((resolve) => {
      release = resolve
    })
    let last = ''
    let started = 0
    const [reader] = options.readers
    const lastReadWaits: Reader['read'] = async (ref, ctx) => {
      if (++started < 12) return reader.read(ref, ctx)
      last = ref.id
      await stuck
      return reader.read(ref, ctx)
    }

    const run = runSync({...options, checkpointMs: 0, readers: [{...reader, read: lastReadWaits}]}, quiet)
    const stateFile = path.join(options.output, '.sessionsync/state.json')
    const recorded = () => Object.keys(JSON.parse(readFileSync(stateFile, 'utf8')).sessions)
    let seen: string[] = []
    for (let waited = 0; waited < 5000 && seen.length < 11; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      try {
        seen = recorded()
      } catch {
        // Not written yet.
      }
    }

    release()
    await run
    expect(seen, 'every session but the one still being read, recorded before the run ended').to.have.length(11)
    expect(seen.join()).not.to.include(last)
    expect(recorded()).to.have.length(12)
  })

  it('stops writing once the disk is full, says so once, and records what it wrote before', async () => {
    addSessions(30)
    // The fourth session's write, and every one after it, fails as a full disk makes it fail.
    let writes = 0
    const full: Writer = {
      ...jsonWriter,
      *renderPieces(session, ctx) {
        if (++writes > 3) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
        yield jsonWriter.render(session, ctx)
      },
    }
    const warnings: string[] = []
    const report = await runSync({...options, writer: full}, {...quiet, warn: (message) => warnings.push(message)})
    expect(report.noRoom).to.equal('the disk is full')
    expect(report.interrupted).to.equal(false)
    expect(report.written).to.have.length(3)
    expect(reads.length, 'no session started once the disk was found full, but the few read ahead').to.be.below(16)
    expect(warnings).to.deep.equal([`the disk is full, so no more sessions were written into ${options.output}: 3 sessions exported before are kept and recorded. Once there is room, run it again to export the rest.`])
    expect(Object.keys(JSON.parse(readFileSync(path.join(options.output, '.sessionsync/state.json'), 'utf8')).sessions)).to.have.length(3)

    reads = []
    const rest = await runSync(options, quiet)
    expect(rest.noRoom).to.equal(null)
    expect(rest.agents[0]).to.include({upToDate: 3, written: 29})
  })

  it('reads nothing, and says so, when stopped before it started', async () => {
    const controller = new AbortController()
    controller.abort()
    const warnings: string[] = []
    const report = await runSync({...options, signal: controller.signal}, {...quiet, warn: (message) => warnings.push(message)})
    expect(report).to.include({interrupted: true})
    expect(report.written).to.deep.equal([])
    expect(reads, 'no session read once stopped').to.deep.equal([])
    expect(warnings).to.deep.equal(['interrupted before any session was written; run it again to export them'])
  })

  it('marks in the index a session the agent deleted, once, and takes the mark back when the session returns', async () => {
    const index = () => ({json: JSON.parse(readFileSync(path.join(options.output, 'index.json'), 'utf8')) as {sessions: Array<{id: string; sourceGoneAt: string | null}>}, markdown: readFileSync(path.join(options.output, 'INDEX.md'), 'utf8')})
    const richLine = () => index().markdown.split('\n').find((line) => line.includes('Fix the flaky upload test'))!
    const richId = fixtureSession('rich').id
    // A whole second, which a file's time takes back exactly (a millisecond may come back one less).
    const mtime = new Date('2026-11-20T10:00:00.000Z')
    utimesSync(path.join(home, 'rich.json'), mtime, mtime)
    await runSync(options, quiet)
    expect(richLine()).to.not.include('source gone')
    const rich = readFileSync(path.join(home, 'rich.json'), 'utf8')
    rmSync(path.join(home, 'rich.json'))

    // A discovery that had a problem is no proof of a deletion.
    const warning: Reader = {...options.readers[0], async *discover(roots, ctx) {
      ctx.warn('a folder could not be listed')
      yield* options.readers[0].discover(roots, ctx)
    }}
    await runSync({...options, readers: [warning]}, quiet)
    expect(richLine()).to.not.include('source gone')

    const today = new Date().toISOString().slice(0, 10)
    await runSync(options, quiet)
    expect(richLine()).to.include(`source gone since ${today}`)
    expect(index().json.sessions.find((session) => session.id === richId)!.sourceGoneAt).to.match(new RegExp(`^${today}T`))
    expect(index().json.sessions.find((session) => session.id !== richId)!.sourceGoneAt).to.equal(null)
    const written = (file: string) => statSync(path.join(options.output, file)).mtimeMs
    const before = [written('.sessionsync/state.json'), written('INDEX.md')]
    await runSync(options, quiet)
    expect([written('.sessionsync/state.json'), written('INDEX.md')], 'marked once').to.deep.equal(before)

    // Put back as it was (a backup restored): up to date, so not exported again, and no longer gone.
    writeFileSync(path.join(home, 'rich.json'), rich)
    utimesSync(path.join(home, 'rich.json'), mtime, mtime)
    reads = []
    await runSync(options, quiet)
    expect(reads).to.deep.equal([])
    expect(richLine()).to.not.include('source gone')
    expect(index().json.sessions.find((session) => session.id === richId)!.sourceGoneAt).to.equal(null)
  })

  it('exports everything again with force', async () => {
    await runSync(options, quiet)
    reads = []
    await runSync({...options, force: true}, quiet)
    expect(reads).to.have.length(2)
  })
})
