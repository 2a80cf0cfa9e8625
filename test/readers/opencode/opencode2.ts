import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'
import {Database, IDS, type OpenCodeHome, PIXEL_PNG, type Writer} from './opencode-home.js'

/*
 * OpenCode 2's tables as its migration `20260804233008_loose_psylocke` leaves a database, from
 * `sqlite_master` of 2.0.25 databases: `session_v2` beside 1.x's `session` (kept, and still
 * written by a 1.x installed beside it), and `session_message` made again to reference it.
 * Rows are shaped as those captured from 2.0.26 and beta-19381 builds: `data` is the message
 * without its id and type.
 */
const VERSION2_SCHEMA = `
  CREATE TABLE IF NOT EXISTS \`project\` (\`id\` text PRIMARY KEY, \`worktree\` text NOT NULL, \`vcs\` text, \`time_created\` integer NOT NULL, \`time_updated\` integer NOT NULL, \`sandboxes\` text NOT NULL);
  CREATE TABLE \`session_v2\` (
    \`id\` text PRIMARY KEY, \`project_id\` text NOT NULL, \`workspace_id\` text, \`parent_id\` text,
    \`fork_session_id\` text, \`fork_boundary\` text, \`slug\` text NOT NULL, \`directory\` text NOT NULL,
    \`path\` text, \`title\` text, \`version\` text NOT NULL, \`share_url\` text,
    \`summary_additions\` integer, \`summary_deletions\` integer, \`summary_files\` integer, \`summary_diffs\` text,
    \`metadata\` text, \`cost\` real DEFAULT 0 NOT NULL, \`tokens_input\` integer DEFAULT 0 NOT NULL,
    \`tokens_output\` integer DEFAULT 0 NOT NULL, \`tokens_reasoning\` integer DEFAULT 0 NOT NULL,
    \`tokens_cache_read\` integer DEFAULT 0 NOT NULL, \`tokens_cache_write\` integer DEFAULT 0 NOT NULL,
    \`revert\` text, \`permission\` text, \`agent\` text, \`model\` text,
    \`time_created\` integer NOT NULL, \`time_updated\` integer NOT NULL, \`time_idle\` integer, \`time_viewed\` integer,
    \`idle_outcome\` text, \`time_compacting\` integer, \`time_archived\` integer, \`time_suspended\` integer,
    \`resume_attempts\` integer DEFAULT 0 NOT NULL,
    CONSTRAINT \`fk_session_v2_project_id_project_id_fk\` FOREIGN KEY (\`project_id\`) REFERENCES \`project\`(\`id\`) ON DELETE CASCADE);
  DROP TABLE IF EXISTS \`session_message\`;
  CREATE TABLE \`session_message\` (
    \`id\` text PRIMARY KEY, \`session_id\` text NOT NULL, \`type\` text NOT NULL, \`seq\` integer NOT NULL,
    \`time_created\` integer NOT NULL, \`time_updated\` integer NOT NULL, \`data\` text NOT NULL,
    CONSTRAINT \`fk_session_message_session_id_session_v2_id_fk\` FOREIGN KEY (\`session_id\`) REFERENCES \`session_v2\`(\`id\`) ON DELETE CASCADE);
  CREATE UNIQUE INDEX \`session_message_session_seq_idx\` ON \`session_message\` (\`session_id\`, \`seq\`);
  DROP TABLE IF EXISTS \`session_input\`;
  DROP TABLE IF EXISTS \`session_context_epoch\`;`

export const V2_IDS = {
  child: 'ses_ee23fe0f4ffeylWZL6V350JpvY',
  fork: 'ses_ee23fd011ffeForkOfV2Sess01',
  session: 'ses_ee23fe1e7ffeeiMs3y3TW987xd',
  subagentCall: 'call_00492530',
}

const PROJECT = '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7'
export const T2 = 1_796_500_490_000
const MODEL = {id: 'big-pickle', providerID: 'opencode', variant: 'default'}
const step = (created: number, content: unknown[], finish: string, extra: Record<string, unknown> = {}) => ({
  agent: 'build', content, cost: 0.002, finish, model: MODEL, rawFinish: finish.replace('-', '_'),
  time: {completed: created + 400, created, streamed: created + 100},
  tokens: {cache: {read: 1000, write: 10}, input: 6900, output: 93, reasoning: 20}, ...extra,
})

/** A row's type and data, and its id where it keeps one it was copied with. */
type Row = [type: string, data: Record<string, unknown> | string, id?: string]

let counter = 0x11_dc_0b_74_10_01
/** Ids ascend with time, as OpenCode's do. */
function messageId(): string {
  counter += 0x10
  return `msg_${counter.toString(16)}V2RowId${String(counter % 1000).padStart(3, '0')}Ab`
}

/** One session of OpenCode 2 with its rows, `seq` with gaps as other events take numbers too. */
export function insertVersion2Session(writer: Writer, session: {id: string; directory: string; title: string | null; created: number; parentId?: string; forkOf?: string; version?: string}, rows: Row[], firstSeq = 4): void {
  writer
    .prepare(
      `INSERT INTO session_v2 (id, project_id, parent_id, fork_session_id, slug, directory, path, title, version, agent, model, time_created, time_updated)
       VALUES (?, ?, ?, ?, 'brave-otter', ?, '', ?, ?, 'build', ?, ?, ?)`,
    )
    .run(session.id, PROJECT, session.parentId ?? null, session.forkOf ?? null, session.directory, session.title, session.version ?? '2.0.26', JSON.stringify(MODEL), session.created, session.created + 60_000)
  const insert = writer.prepare('INSERT INTO session_message (id, session_id, type, seq, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
  rows.forEach(([type, data, id], index) => {
    const created = typeof data === 'string' ? session.created : ((data.time as {created: number}).created)
    insert.run(id ?? messageId(), session.id, type, firstSeq + index * 3, created, created, typeof data === 'string' ? data : JSON.stringify(data))
  })
}

/** A row whose JSON was cut off: it costs only itself. */
export const CORRUPT_ROW = '{"time":{"created":1796500490900},"text":"cut of'

/** The rows of a session begun in 2.0.26 that ran a subagent, with every kind of row OpenCode 2 writes. */
export function version2Rows(workspace: string): Row[] {
  const t = T2
  return [
    // The first prompt's marks set the agent and the model: nothing switched.
    ['agent-switched', {agent: 'build', time: {created: t}}],
    ['model-switched', {model: MODEL, time: {created: t}}],
    ['user', {
      agents: [], files: [
        {data: PIXEL_PNG, mime: 'image/png', name: 'screen.png', source: {type: 'inline'}},
        {data: '', mime: 'text/plain', source: {type: 'uri', uri: `file://${workspace}/Cargo.toml`}},
      ],
      text: '"Read input.txt and look around"', time: {created: t + 1},
    }],
    ['assistant', step(t + 100, [
      {state: {reasoningField: 'reasoning_content'}, text: 'The user wants me to read input.txt.', time: {completed: t + 150, created: t + 110}, type: 'reasoning'},
      {executed: false, id: 'call_5d26534d', name: 'read', state: {content: [{text: 'Read file input.txt, lines 1-3\n1: alpha\n2: beta\n3: gamma', type: 'text'}], input: {path: `${workspace}/input.txt`}, metadata: {truncated: false}, status: 'completed'}, time: {completed: t + 160, created: t + 120, ran: t + 155}, type: 'tool'},
      {executed: false, id: 'call_00493184', name: 'read', state: {error: {message: 'File not found: /nonexistent/file.txt', type: 'tool.execution'}, input: {path: '/nonexistent/file.txt'}, status: 'error'}, type: 'tool'},
    ], 'tool-calls')],
    ['assistant', step(t + 600, [
      {executed: false, id: V2_IDS.subagentCall, name: 'subagent', state: {
        content: [{text: `<subagent sessionID="${V2_IDS.child}" state="completed">\nTwo files: input.txt and Cargo.toml.\n</subagent>`, type: 'text'}],
        input: {agent: 'general', description: 'Look around', prompt: 'List the files and summarise them.'},
        metadata: {sessionID: V2_IDS.child, status: 'completed', truncated: false}, status: 'completed',
      }, type: 'tool'},
      {executed: false, id: 'call_00493200', name: 'edit', state: {content: [{text: 'Edit applied successfully.', type: 'text'}], input: {newString: 'alpha\nbeta', oldString: 'alpha', path: `${workspace}/input.txt`}, metadata: {}, status: 'completed'}, type: 'tool'},
    ], 'tool-calls', {snapshot: {end: 'f01a9c2e', files: [`${workspace}/notes.md`], start: 'e7250b35'}})],
    ['synthetic', {text: '<system-reminder>\nYou are in Plan mode.\n</system-reminder>', time: {created: t + 1100}}],
    ['assistant', step(t + 1200, [{text: 'Here are the results: alpha, beta, gamma.', type: 'text'}], 'stop')],
    ['idle', {outcome: 'succeeded', time: {created: t + 1700}}],
    ['shell', {command: 'ls missing', exit: 2, output: {cursor: 40, output: "ls: cannot access 'missing'", size: 40, truncated: false}, shellID: 'sh_1', status: 'exited', time: {completed: t + 2100, created: t + 2000}}],
    ['model-switched', {model: {id: 'claude-sonnet-4-5', providerID: 'anthropic'}, previous: MODEL, time: {created: t + 2200}}],
    ['location-switched', {location: {directory: `${workspace}/docs`}, previous: {location: {directory: workspace}}, time: {created: t + 2250}}],
    ['user', {files: [], text: 'Keep going', time: {created: t + 2300}}],
    // Files, an agent and a skill named, and no words.
    ['user', {agents: [{mention: {end: 8, start: 0}, name: 'general'}], files: [{data: '', mime: 'text/markdown', source: {type: 'uri', uri: `file://${workspace}/README.md`}}], skills: [{id: 'sk_1', name: 'release-notes'}], time: {created: t + 2350}}],
    ['assistant', step(t + 2400, [], 'error', {error: {message: 'Overloaded', status: 529, type: 'api.error'}})],
    ['compaction', {error: {message: 'The summary request timed out', type: 'compaction.failed'}, reason: 'auto', status: 'failed', time: {created: t + 2900}}],
    ['compaction', {cost: 0.0005, reason: 'auto', recent: 'msg_b5', status: 'completed', summary: 'We read input.txt: alpha, beta, gamma.', time: {created: t + 3000}, tokens: {cache: {read: 0, write: 0}, input: 100, output: 20, reasoning: 0}}],
    ['hologram-state', {time: {created: t + 3100}}],
    ['user', CORRUPT_ROW],
    // Stopped while the model was still streaming a call's arguments.
    ['assistant', {agent: 'build', content: [{id: 'call_streaming', name: 'edit', state: {input: '{"path":"src/ma', status: 'streaming'}, type: 'tool'}], model: MODEL, time: {created: t + 3300}}],
    ['idle', {outcome: 'interrupted', time: {created: t + 3400}}],
    // Asked for by the person, and still summarising when the session was read.
    ['compaction', {reason: 'manual', status: 'running', time: {created: t + 3500}}],
  ]
}

type Json = Record<string, unknown>

/**
 * OpenCode 2's copy of a 1.x session, as its import makes it: a row for each message, under the
 * message's id; a compaction's request becomes a `compaction` row.
 */
function copyOfVersion1(writer: Writer, sessionId: string): Row[] {
  const messages = writer.prepare('SELECT id, data FROM message WHERE session_id = ? ORDER BY time_created, id').all(sessionId) as Array<{id: string; data: string}>
  return messages.map(({data, id}): Row => {
    const info = JSON.parse(data) as Json & {time: {created: number}}
    const parts = (writer.prepare('SELECT data FROM part WHERE message_id = ? ORDER BY id').all(id) as Array<{data: string}>).map((part) => JSON.parse(part.data) as Json)
    const texts = parts.filter((part) => part.type === 'text').map((part) => ({text: part.text, type: 'text'}))
    const time = {created: info.time.created}
    if (info.role === 'assistant') return ['assistant', step(time.created, texts, String(info.finish)), id]
    if (parts.some((part) => part.type === 'compaction')) return ['compaction', {reason: 'auto', status: 'completed', time}, id]
    return ['user', {files: [], text: texts[0]?.text ?? '', time}, id]
  })
}

/**
 * The home of `opencodeHome`, after OpenCode 2 migrated it: its main session copied into
 * `session_v2` and continued there, a session begun in 2.x with a subagent, and a fork of that
 * session. 1.x's other sessions were never copied (as with sessions 1.x made after the import).
 */
export function migrateToVersion2(home: OpenCodeHome): void {
  home.writer.exec(VERSION2_SCHEMA)
  insertVersion2Session(home.writer, {created: 1_795_585_783_000, directory: home.workspace, id: IDS.main, title: 'Fix the flaky upload test', version: '1.18.33'}, [
    ...copyOfVersion1(home.writer, IDS.main),
    ['system', {text: 'The available tools have changed.\n\nThe `bash` tool is now `shell`.', time: {created: T2 - 10}}],
    // As OpenCode 2 marks a prompt of the same agent as before: nothing switched.
    ['agent-switched', {agent: 'build', previous: 'build', time: {created: T2 - 6}}],
    ['user', {files: [], text: '"Continue this in v2"', time: {created: T2 - 5}}],
  ], 0)
  insertVersion2Session(home.writer, {created: T2, directory: home.workspace, id: V2_IDS.session, title: 'Read input.txt'}, version2Rows(home.workspace))
  insertVersion2Session(home.writer, {created: T2 + 500, directory: home.workspace, id: V2_IDS.child, parentId: V2_IDS.session, title: 'Look around'}, [
    ['user', {text: 'You are a subagent spawned by another session.\nList the files and summarise them.', time: {created: T2 + 501}}],
    ['assistant', step(T2 + 520, [{text: 'Two files: input.txt and Cargo.toml.', type: 'text'}], 'stop')],
  ])
  // A fork keeps the rows it copied, with their times; OpenCode 2 gives it no title of its own.
  const copied = version2Rows(home.workspace).slice(0, 4)
  insertVersion2Session(home.writer, {created: T2 + 90_000, directory: home.workspace, forkOf: V2_IDS.session, id: V2_IDS.fork, title: null}, [
    ...copied,
    ['user', {files: [], text: 'Try another file', time: {created: T2 + 90_001}}],
  ])
}

/** A data folder whose only database OpenCode 2 made: no 1.x table at all. */
export function version2OnlyHome(): {env: NodeJS.ProcessEnv; workspace: string; writer: Writer; context: OpenCodeHome['context']} {
  const root = tempDir('sessionsync-opencode2-')
  const data = path.join(root, 'xdg-data', 'opencode')
  const workspace = path.join(root, 'work', 'app')
  mkdirSync(data, {recursive: true})
  mkdirSync(workspace, {recursive: true})
  const writer = new Database(path.join(data, 'opencode.db'))
  writer.pragma('journal_mode = WAL')
  writer.exec(VERSION2_SCHEMA)
  writer.prepare(`INSERT INTO project (id, worktree, vcs, time_created, time_updated, sandboxes) VALUES (?, '/', 'git', ?, ?, '[]')`).run(PROJECT, T2, T2)
  insertVersion2Session(writer, {created: T2, directory: workspace, id: V2_IDS.session, title: 'Read input.txt'}, version2Rows(workspace))
  const env = {HOME: path.join(root, 'home'), XDG_DATA_HOME: path.join(root, 'xdg-data')}
  return {context: (overrides = {}) => readerContext(env, overrides), env, workspace, writer}
}
