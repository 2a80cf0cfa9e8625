import {cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import {opencodeReader} from '../../../plugins/reader-opencode/src/reader.js'
import type {SessionRef} from '../../../src/model/ref.js'
import type {Session} from '../../../src/model/session.js'
import {SessionSchema} from '../../../src/model/session.js'
import {REPO, tempDir} from '../../helpers/cli.js'
import {type RecordingContext, readerContext} from '../../helpers/reader-context.js'

// As the reader does: SQLite takes `file:` URIs only when the addon loads with this set.
process.env.SQLITE_USE_URI ??= '1'
export const {default: Database} = await import('better-sqlite3')

export type Writer = BetterSqlite3.Database

const FIXTURES = path.join(REPO, 'test/fixtures/opencode')
const SCHEMA = readFileSync(path.join(FIXTURES, 'schema.sql'), 'utf8')
export const BRANCH = 'feature/upload'
export const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

export const IDS = {
  child: 'ses_deec0a0f7ffeChildSessionAb1',
  fork: 'ses_deec09e21ffeForkSessionAb01',
  legacy: 'ses_4f1c2e0a3ffe9aLegacyJsonAb',
  legacyChild: 'ses_4f1c2e09fffeLegacyChildAb1',
  main: 'ses_deec0a1b2ffeMainSessionAb01',
  other: 'ses_deec09c11ffeOtherSessionAb1',
  taskCall: 'call_task_0011',
}

const PROJECT = '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7'
const T0 = 1_795_585_783_000

let counter = 0x2_11_40_b5_67_00_1
/** Message and part ids ascend with time, as OpenCode's do (`id/id.ts`). */
function nextId(prefix: 'msg' | 'prt'): string {
  counter += 0x10
  return `${prefix}_${counter.toString(16)}Fx${String(counter % 1000).padStart(3, '0')}AbCdEfGhI`
}

export interface OpenCodeHome {
  root: string
  env: NodeJS.ProcessEnv
  /** `$XDG_DATA_HOME/opencode` */
  data: string
  database: string
  /** A git work tree on BRANCH, where the main session ran. */
  workspace: string
  /** A folder outside it, where one more session ran. */
  otherWorkspace: string
  /** OpenCode's connection: the database stays in WAL mode with its rows in the log while it is open. */
  writer: Writer
  context(overrides?: Parameters<typeof readerContext>[1]): RecordingContext
}

const tokens = {cache: {read: 2000, write: 100}, input: 1200, output: 300, reasoning: 40, total: 3640}

function assistant(created: number, directory: string, finish: string, extra: Record<string, unknown> = {}) {
  return {
    agent: 'build',
    cost: 0.0125,
    finish,
    mode: 'build',
    modelID: 'claude-sonnet-4-5',
    parentID: 'set below',
    path: {cwd: directory, root: directory},
    providerID: 'anthropic',
    role: 'assistant',
    time: {completed: created + 900, created},
    tokens,
    ...extra,
  }
}

export const user = (created: number, agent = 'build') => ({
  agent,
  model: {modelID: 'claude-sonnet-4-5', providerID: 'anthropic'},
  role: 'user',
  summary: {diffs: []},
  time: {created},
})

const stepStart = {snapshot: 'e7250b35a61efd69f64e7db06eaa1b94fabcfb46', type: 'step-start'}
const stepFinish = (reason: string) => ({cost: 0.0125, reason, snapshot: 'e7250b35a61efd69f64e7db06eaa1b94fabcfb46', tokens, type: 'step-finish'})

function tool(name: string, callID: string, state: Record<string, unknown>) {
  return {callID, state, tool: name, type: 'tool'}
}

function completed(input: unknown, output: string, metadata: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {input, metadata, output, status: 'completed', time: {end: T0 + 5, start: T0}, title: 'title', ...extra}
}

/** Writes one session with its messages (each `[info, parts]`) the way OpenCode's projection does. */
export function insertSession(
  writer: Writer,
  session: {id: string; directory: string; title: string; created: number; parentId?: string; agent?: string},
  messages: Array<[Record<string, unknown>, unknown[]]>,
): void {
  writer
    .prepare(
      `INSERT INTO session (id, project_id, parent_id, slug, directory, path, title, version, agent, model, permission, time_created, time_updated)
       VALUES (?, ?, ?, ?, ?, '', ?, '1.18.33', ?, '{"id":"claude-sonnet-4-5","providerID":"anthropic"}', '[]', ?, ?)`,
    )
    .run(session.id, PROJECT, session.parentId ?? null, 'eager-tiger', session.directory, session.title, session.agent ?? 'build', session.created, session.created + 10_000)
  insertMessages(writer, session.id, messages)
}

/** Writes messages (each `[info, parts]`) to a session, and marks it updated at the last, as OpenCode 1.x does. */
export function insertMessages(writer: Writer, sessionId: string, messages: Array<[Record<string, unknown>, unknown[]]>): void {
  let userMessage = ''
  for (const [info, parts] of messages) {
    const id = nextId('msg')
    if (info.role === 'user') userMessage = id
    const data = info.role === 'assistant' ? {...info, parentID: userMessage} : info
    const created = (info.time as {created: number}).created
    writer.prepare('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)').run(id, sessionId, created, created, JSON.stringify(data))
    for (const part of parts) {
      const raw = typeof part === 'string' ? part : JSON.stringify(part)
      writer.prepare('INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)').run(nextId('prt'), id, sessionId, created, created, raw)
    }

    writer.prepare('UPDATE session SET time_updated = max(time_updated, ?) WHERE id = ?').run(created, sessionId)
  }
}

/** A prompt and its reply, as 1.x writes them. */
export function version1Turn(created: number, directory: string, prompt: string, reply: string): Array<[Record<string, unknown>, unknown[]]> {
  return [
    [user(created), [{text: prompt, type: 'text'}]],
    [assistant(created + 100, directory, 'stop'), [stepStart, {text: reply, type: 'text'}, stepFinish('stop')]],
  ]
}

/** A corrupt part row: the reader must skip it alone, naming the session. */
export const CORRUPT_PART = '{"type":"text","text":"cut off in the midd'

function insertConversation(writer: Writer, workspace: string, otherWorkspace: string, corruptPart: boolean): void {
  const image = `data:image/png;base64,${PIXEL_PNG}`
  insertSession(writer, {created: T0, directory: workspace, id: IDS.main, title: 'Fix the flaky upload test'}, [
    [
      user(T0 + 100),
      [
        {text: '"Fix the flaky upload test"', type: 'text'},
        {filename: 'screenshot.png', mime: 'image/png', type: 'file', url: image},
      ],
    ],
    [
      assistant(T0 + 1000, workspace, 'tool-calls'),
      [
        stepStart,
        {text: 'The test depends on timing.', time: {end: T0 + 1002, start: T0 + 1001}, type: 'reasoning'},
        {text: 'Let me run the test first.', time: {end: T0 + 1003, start: T0 + 1002}, type: 'text'},
        tool('bash', 'call_bash_0001', completed({command: 'npm test -- upload', description: 'Run the upload test'}, 'upload: ok\n', {exit: 0, output: 'upload: ok\n', truncated: false})),
        stepFinish('tool-calls'),
      ],
    ],
    [
      assistant(T0 + 2000, workspace, 'tool-calls'),
      [
        stepStart,
        tool('read', 'call_read_0002', {
          error: `File not found: ${workspace}/missing.ts`,
          input: {filePath: `${workspace}/missing.ts`},
          status: 'error',
          time: {end: T0 + 2010, start: T0 + 2005},
        }),
        tool('bash', 'call_bash_0003', completed({command: 'ls /missing-dir'}, "ls: cannot access '/missing-dir': No such file or directory\n", {exit: 2, output: '', truncated: false})),
        tool(
          'read',
          'call_read_0004',
          completed({filePath: `${workspace}/pixel.png`}, 'Image read successfully', {loaded: [], preview: 'Image read successfully', truncated: false}, {
            attachments: [{id: 'prt_21140bb39001F3CBz69AYkJ7U7', messageID: 'msg_x', mime: 'image/png', sessionID: IDS.main, type: 'file', url: image}],
          }),
        ),
        ...(corruptPart ? [CORRUPT_PART] : []),
        stepFinish('tool-calls'),
        {files: [`${workspace}/upload.ts`], hash: 'e7250b35a61efd69f64e7db06eaa1b94fabcfb46', type: 'patch'},
      ],
    ],
    [
      assistant(T0 + 3000, workspace, 'tool-calls'),
      [
        stepStart,
        tool(
          'task',
          IDS.taskCall,
          completed(
            {description: 'Search for timers', prompt: 'Find setTimeout uses', subagent_type: 'general'},
            `<task id="${IDS.child}" state="completed">\n<task_result>\nFound 2 uses.\n</task_result>\n</task>`,
            {model: {modelID: 'claude-sonnet-4-5', providerID: 'anthropic'}, parentSessionId: IDS.main, sessionId: IDS.child, truncated: false},
          ),
        ),
        stepFinish('tool-calls'),
      ],
    ],
    [
      assistant(T0 + 4000, workspace, 'stop'),
      [
        stepStart,
        {attempt: 1, error: {data: {isRetryable: true, message: 'Overloaded'}, name: 'APIError'}, time: {created: T0 + 4001}, type: 'retry'},
        {text: 'Done: the test now uses fake timers.', type: 'text'},
        {type: 'hologram', whatever: true},
        stepFinish('stop'),
      ],
    ],
    [user(T0 + 5000), [{auto: true, type: 'compaction'}]],
    [assistant(T0 + 5100, workspace, 'stop', {summary: true}), [stepStart, {text: 'Summary: the upload test was fixed.', type: 'text'}, stepFinish('stop')]],
  ])

  insertSession(writer, {agent: 'general', created: T0 + 3001, directory: workspace, id: IDS.child, parentId: IDS.main, title: 'Search for timers (@general subagent)'}, [
    [user(T0 + 3002, 'general'), [{text: 'Find setTimeout uses', type: 'text'}]],
    [assistant(T0 + 3003, workspace, 'stop'), [stepStart, {text: 'Found 2 uses.', type: 'text'}, stepFinish('stop')]],
  ])

  // Forked at the main session's first prompt: the copy gets a new id but keeps the time it was written.
  insertSession(writer, {created: T0 + 6000, directory: workspace, id: IDS.fork, title: 'Fix the flaky upload test (fork #1)'}, [
    [user(T0 + 100), [{text: '"Fix the flaky upload test"', type: 'text'}]],
    [user(T0 + 6100), [{text: '"Try real timers instead"', type: 'text'}]],
    [assistant(T0 + 6200, workspace, 'stop'), [stepStart, {text: 'Real timers would keep it slow.', type: 'text'}, stepFinish('stop')]],
  ])

  insertSession(writer, {created: T0 + 7000, directory: otherWorkspace, id: IDS.other, title: 'Another project'}, [
    [user(T0 + 7001), [{text: '"Hello from elsewhere"', type: 'text'}]],
  ])
}

/** Copies the JSON storage fixture, with the workspace folder of this run in its paths. */
function copyStorage(data: string, workspace: string): void {
  const target = path.join(data, 'storage')
  cpSync(path.join(FIXTURES, 'storage'), target, {recursive: true})
  for (const entry of readdirSync(target, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('__WORKSPACE__', workspace))
  }
}

/** Creates OpenCode's database with its current schema, in WAL mode, as OpenCode opens it. */
export function createDatabase(file: string): Writer {
  const writer = new Database(file)
  writer.pragma('journal_mode = WAL')
  writer.pragma('synchronous = NORMAL')
  writer.exec(SCHEMA)
  writer.prepare(`INSERT INTO project (id, worktree, vcs, time_created, time_updated, sandboxes) VALUES (?, '/', 'git', ?, ?, '[]')`).run(PROJECT, T0, T0)
  // The schema goes into the database file; every session row after it stays in the log.
  writer.pragma('wal_checkpoint(TRUNCATE)')
  writer.pragma('wal_autocheckpoint = 0')
  return writer
}

/**
 * A HOME with OpenCode's data folder under `$XDG_DATA_HOME`: a database in WAL mode whose
 * sessions are still only in `opencode.db-wal` (the writer stays open, as a running OpenCode
 * does), and the JSON storage of an older version beside it. `corruptPart` adds a part whose
 * JSON data is cut off.
 */
export function opencodeHome({corruptPart = false} = {}): OpenCodeHome {
  const root = tempDir('sessionsync-opencode-')
  const data = path.join(root, 'xdg-data', 'opencode')
  const workspace = path.join(root, 'work', 'app')
  const otherWorkspace = path.join(root, 'work', 'other')
  mkdirSync(path.join(workspace, '.git'), {recursive: true})
  writeFileSync(path.join(workspace, '.git', 'HEAD'), `ref: refs/heads/${BRANCH}\n`)
  mkdirSync(otherWorkspace, {recursive: true})
  mkdirSync(data, {recursive: true})
  copyStorage(data, workspace)
  const database = path.join(data, 'opencode.db')
  const writer = createDatabase(database)
  insertConversation(writer, workspace, otherWorkspace, corruptPart)
  // OpenCode reads what it wrote: its read marks in the -shm are current.
  writer.prepare('SELECT count(*) FROM session').get()
  const env = {HOME: path.join(root, 'home'), XDG_DATA_HOME: path.join(root, 'xdg-data')}
  return {context: (overrides = {}) => readerContext(env, overrides), data, database, env, otherWorkspace, root, workspace, writer}
}

/**
 * OpenCode closes, and another program takes the database into rollback-journal mode and holds
 * its exclusive lock mid-write until `release` runs, the one way a reader can be locked out.
 */
export function lockDatabase(home: OpenCodeHome): {release(): void} {
  home.writer.close()
  const locker = new Database(home.database)
  locker.pragma('journal_mode = DELETE')
  locker.exec('BEGIN EXCLUSIVE')
  locker.prepare('DELETE FROM part').run()
  // What the tests close afterwards.
  home.writer = locker
  return {release: () => locker.exec('ROLLBACK')}
}

export async function discoverAll(ctx: RecordingContext): Promise<SessionRef[]> {
  const refs: SessionRef[] = []
  for await (const ref of opencodeReader.discover(await opencodeReader.locate(ctx), ctx)) refs.push(ref)
  return refs
}

/** Reads one session through the reader, checked against the model as the core does. */
export async function readSession(home: OpenCodeHome, id: string, ctx = home.context()): Promise<Session> {
  const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === id)
  if (!ref) throw new Error(`session ${id} not discovered`)
  return SessionSchema.parse(await opencodeReader.read(ref, ctx))
}
