import {appendFileSync, cpSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {opencodeReader} from '../../plugins/reader-opencode/src/reader.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import type {Reader} from '../../src/plugin-api.js'
import type {Log} from '../../src/pipeline/plan.js'
import {runSync, type SyncOptions} from '../../src/pipeline/sync.js'
import {ExportWatcher} from '../../src/pipeline/watch.js'
import {tempDir} from '../helpers/cli.js'
import {FIXTURE, SESSION} from '../readers/claude/helpers.js'
import {IDS, insertSession, opencodeHome} from '../readers/opencode/opencode-home.js'

const warnings: string[] = []
const log: Log = {debug() {}, info() {}, warn: (message) => warnings.push(message)}

/** Watches with the real readers, as `sessionsync watch` does. */
async function watching(reader: Reader, env: NodeJS.ProcessEnv) {
  const output = tempDir()
  const options: SyncOptions = {
    attachments: true, branch: null, cacheDir: null, env, force: false, maxOutputChars: null, output, outputSalt: 'test',
    readerOptions: {}, readers: [reader], redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: markdownWriter,
  }
  await runSync(options, log)
  const watcher = new ExportWatcher(options, {debounceMs: 50, locateIntervalMs: 60_000}, log)
  await watcher.start()
  const exportOf = (id: string) => {
    const folder = path.join(output, reader.agent)
    const file = readdirSync(folder).find((name) => name.endsWith(`${id.replace(/^ses_/, '').slice(0, 8).toLowerCase()}.md`))
    return file ? readFileSync(path.join(folder, file), 'utf8') : ''
  }

  return {exportOf, watcher}
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
