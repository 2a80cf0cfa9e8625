import {appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {opencodeReader} from '../../plugins/reader-opencode/src/reader.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import type {Reader} from '../../src/plugin-api.js'
import type {Log} from '../../src/pipeline/plan.js'
import {runSync, type SyncOptions, type SyncReport} from '../../src/pipeline/sync.js'
import {ExportWatcher} from '../../src/pipeline/watch.js'
import {tempDir} from '../helpers/cli.js'
import {FIXTURE, SESSION} from '../readers/claude/helpers.js'
import {IDS, insertSession, opencodeHome} from '../readers/opencode/opencode-home.js'

const warnings: string[] = []
const log: Log = {debug() {}, info() {}, warn: (message) => warnings.push(message)}

/** Watches with the real readers, as `sessionsync watch` does. */
async function watching(reader: Reader, env: NodeJS.ProcessEnv, {locateIntervalMs = 60_000, workspace = null as string | null} = {}) {
  const output = tempDir()
  const options: SyncOptions = {
    attachments: true, branch: null, cacheDir: null, env, force: false, maxOutputChars: null, output, outputSalt: {core: 'test', readers: {}, writer: 'a-writer@1.0.0'},
    readerOptions: {}, readers: [reader], redact: false, subagents: true, thinking: true, tools: true, workspaces: workspace === null ? null : [workspace], writer: markdownWriter,
  }
  await runSync(options, log)
  const exportRuns: SyncReport[] = []
  const watcher = new ExportWatcher(options, {debounceMs: 50, locateIntervalMs, onExport: (report) => exportRuns.push(report)}, log)
  await watcher.start()
  const exportOf = (id: string) => {
    const folder = path.join(output, reader.agent)
    const file = readdirSync(folder).find((name) => name.endsWith(`${id.replace(/^ses_/, '').slice(0, 8).toLowerCase()}.md`))
    return file ? readFileSync(path.join(folder, file), 'utf8') : ''
  }

  return {exportOf, exportRuns, watcher}
}

async function waitFor(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('watch, with the agents’ own files', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    warnings.length = 0
  })

  it('follows a Claude Code session as lines are appended, never exporting a half-written line', async () => {
    const config = tempDir()
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-app'), path.join(config, 'projects', '-home-dev-app'), {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-app', `${SESSION.rewound}.jsonl`)
    const {exportOf, watcher} = await watching(claudeReader, {CLAUDE_CONFIG_DIR: config, HOME: tempDir()})
    stop = () => watcher.stop()
    expect(exportOf(SESSION.rewound)).to.include('Otter.')

    const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!)
    const next = {...last, message: {content: 'And a bird?', role: 'user'}, parentUuid: last.uuid, timestamp: '2026-03-02T10:00:00.000Z', type: 'user', uuid: 'watch-0001'}
    const line = JSON.stringify(next)
    // The agent is mid-write: half a line, no newline.
    appendFileSync(file, line.slice(0, 40))
    await new Promise((resolve) => setTimeout(resolve, 300))
    await watcher.idle()
    expect(exportOf(SESSION.rewound)).to.not.include('And a bird?')
    appendFileSync(file, `${line.slice(40)}\n`)
    const started = Date.now()
    await waitFor(() => exportOf(SESSION.rewound).includes('And a bird?'), 1000, 'the appended prompt in the export')
    expect(Date.now() - started).to.be.below(1000)
    expect(warnings).to.deep.equal([])
  })

  it("exports a Claude Code session again when only its side call's file changed: a /btw question answered after its last turn", async () => {
    const config = tempDir()
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-app'), path.join(config, 'projects', '-home-dev-app'), {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-app', SESSION.v21, 'subagents', 'agent-aside_question-8e2f4a91c07b5d36.jsonl')
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    // Asked, not answered yet, when the watch starts.
    writeFileSync(file, lines.slice(0, -1).join('\n') + '\n')
    const {exportOf, watcher} = await watching(claudeReader, {CLAUDE_CONFIG_DIR: config, HOME: tempDir()})
    stop = () => watcher.stop()
    expect(exportOf(SESSION.v21)).to.include('Which test runner does this project use?').and.not.include('It uses vitest.')
    appendFileSync(file, lines.at(-1) + '\n')
    await waitFor(() => exportOf(SESSION.v21).includes('It uses vitest.'), 5000, 'the answer in the export')
    expect(warnings).to.deep.equal([])
  })

  it('with one workspace, is not woken by Claude Code sessions of other projects, and finds a new project folder inside the workspace', async () => {
    const config = tempDir()
    cpSync(path.join(FIXTURE, 'projects'), path.join(config, 'projects'), {recursive: true})
    const {exportOf, exportRuns, watcher} = await watching(claudeReader, {CLAUDE_CONFIG_DIR: config, HOME: tempDir()}, {locateIntervalMs: 100, workspace: '/home/dev/app'})
    stop = () => watcher.stop()
    // Another project's session grows (its agent is mid-line): nothing there is watched, so no export runs at all.
    appendFileSync(path.join(config, 'projects', '-home-dev-other', '7a0e5c2b-7f1d-4c3a-9e10-000000000007.jsonl'), 'deChain":false')
    await new Promise((resolve) => setTimeout(resolve, 400))
    await watcher.idle()
    expect(exportRuns).to.deep.equal([])

    // A session started in a subfolder of the workspace, in a project folder made after watching began.
    const folder = path.join(config, 'projects', '-home-dev-app-api')
    mkdirSync(folder)
    const source = path.join(config, 'projects', '-home-dev-app', `${SESSION.rewound}.jsonl`)
    const id = '8b0e5c2b-7f1d-4c3a-9e10-000000000008'
    const lines = readFileSync(source, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    writeFileSync(path.join(folder, `${id}.jsonl`), lines.map((record) => JSON.stringify({...record, ...('cwd' in record ? {cwd: '/home/dev/app/api'} : {}), ...('sessionId' in record ? {sessionId: id} : {})})).join('\n') + '\n')
    await waitFor(() => exportOf(id) !== '', 3000, 'the session of the new project folder exported')

    // The workspace's own session is still followed.
    const last = lines.at(-1)
    appendFileSync(source, `${JSON.stringify({...last, message: {content: 'And a bird?', role: 'user'}, parentUuid: last.uuid, timestamp: '2026-03-02T10:00:00.000Z', type: 'user', uuid: 'watch-app-1'})}\n`)
    await waitFor(() => exportOf(SESSION.rewound).includes('And a bird?'), 3000, 'the appended prompt in the export')
  })

  it('sees a message OpenCode wrote into its WAL-mode database, while OpenCode keeps it open', async () => {
    const home = opencodeHome()
    const {exportOf, watcher} = await watching(opencodeReader, home.env)
    stop = async () => {
      await watcher.stop()
      home.writer.close()
    }

    expect(exportOf(IDS.other)).to.not.include('Written while watching')
    const created = Date.now()
    insertSession(home.writer, {created, directory: home.otherWorkspace, id: 'ses_e0000000affeWatchedSessAb1', title: 'Written while watching'}, [
      [{agent: 'build', model: {modelID: 'claude-sonnet-4-5', providerID: 'anthropic'}, role: 'user', summary: {diffs: []}, time: {created}}, [{text: 'A prompt typed while watching', type: 'text'}]],
    ])
    await waitFor(() => exportOf('ses_e0000000affeWatchedSessAb1').includes('A prompt typed while watching'), 2000, 'the new session exported')
  })
})
