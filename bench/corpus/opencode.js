import {mkdirSync} from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {Clock, toolAction} from './actions.js'

/**
 * OpenCode 1.2+ storage: one SQLite database (WAL) with project/session/message/part tables
 * whose `data` columns hold the message and part JSON without their ids.
 */
const SCHEMA = `
CREATE TABLE migration (id TEXT PRIMARY KEY, time_completed INTEGER NOT NULL);
CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT, name TEXT, icon_url TEXT, icon_url_override TEXT, icon_color TEXT,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, time_initialized INTEGER, sandboxes TEXT NOT NULL, commands TEXT);
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE, workspace_id TEXT, parent_id TEXT,
  slug TEXT NOT NULL, directory TEXT NOT NULL, path TEXT, title TEXT NOT NULL, version TEXT NOT NULL, share_url TEXT,
  summary_additions INTEGER, summary_deletions INTEGER, summary_files INTEGER, summary_diffs TEXT, metadata TEXT,
  cost REAL NOT NULL DEFAULT 0, tokens_input INTEGER NOT NULL DEFAULT 0, tokens_output INTEGER NOT NULL DEFAULT 0,
  tokens_reasoning INTEGER NOT NULL DEFAULT 0, tokens_cache_read INTEGER NOT NULL DEFAULT 0, tokens_cache_write INTEGER NOT NULL DEFAULT 0,
  revert TEXT, permission TEXT, agent TEXT, model TEXT,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, time_compacting INTEGER, time_archived INTEGER);
CREATE INDEX session_project_idx ON session (project_id);
CREATE INDEX session_parent_idx ON session (parent_id);
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX message_session_idx ON message (session_id);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL REFERENCES message(id) ON DELETE CASCADE, session_id TEXT NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX part_message_idx ON part (message_id);
CREATE INDEX part_session_idx ON part (session_id);
CREATE TABLE todo (session_id TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL, priority TEXT NOT NULL, position INTEGER NOT NULL,
  time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, PRIMARY KEY (session_id, position));
CREATE TABLE session_message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, type TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL);
`
const MODELS = [
  {providerID: 'anthropic', modelID: 'claude-sonnet-4-5'},
  {providerID: 'openai', modelID: 'gpt-5.1'},
  {providerID: 'opencode', modelID: 'big-pickle'},
]
const TOOL_NAMES = {bash: 'bash', read: 'read', image: 'read', edit: 'edit', write: 'write', grep: 'grep'}

export function opencodeDbPath(home) {
  return path.join(home, '.local', 'share', 'opencode', 'opencode.db')
}

/** The database for all OpenCode sessions of the corpus; call close() when done. */
export class OpencodeStore {
  constructor(home, random, cwd) {
    const file = opencodeDbPath(home)
    mkdirSync(path.dirname(file), {recursive: true})
    this.file = file
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = OFF')
    this.db.exec(SCHEMA)
    this.random = random
    this.counter = 0
    this.projectId = random.hex(40)
    this.db.prepare('INSERT INTO migration VALUES (?, ?)').run('20260127222353_familiar_lady_ursula', 1_769_552_633_000)
    this.db.prepare('INSERT INTO project (id, worktree, vcs, name, time_created, time_updated, sandboxes) VALUES (?, ?, ?, ?, ?, ?, ?)').run(this.projectId, cwd, 'git', path.basename(cwd), 1_760_000_000_000, 1_760_000_000_000, '[]')
    this.insertSession = this.db.prepare(`INSERT INTO session (id, project_id, parent_id, slug, directory, path, title, version, summary_additions, summary_deletions, summary_files,
      cost, tokens_input, tokens_output, agent, model, time_created, time_updated) VALUES (@id, @project_id, @parent_id, @slug, @directory, '', @title, @version, 0, 0, 0,
      @cost, @tokens_input, @tokens_output, @agent, @model, @time_created, @time_updated)`)
    this.insertMessage = this.db.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)')
    this.insertPart = this.db.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)')
  }

  /** Ascending ids (messages, parts): time and a counter, then random characters. */
  id(prefix, ms) {
    const value = BigInt(ms) * 4096n + BigInt(this.counter++ % 4096)
    return `${prefix}_${value.toString(16).padStart(12, '0').slice(-12)}${this.random.base62(14)}`
  }

  /** Session ids sort newest first: the time bits are inverted. */
  sessionId(ms) {
    const value = (2n ** 48n - 1n) - (BigInt(ms) * 4096n + BigInt(this.counter++ % 4096))
    return `ses_${value.toString(16).padStart(12, '0').slice(-12)}${this.random.base62(14)}`
  }

  writeSession({random: r, text, cwd, targetBytes, startMs, parentId = null, title = null, id = null}) {
    const clock = new Clock(startMs)
    const sessionId = id ?? this.sessionId(startMs)
    const model = r.pick(MODELS)
    const totals = {bytes: 0, cost: 0, input: 0, output: 0}
    const children = []
    const write = this.db.transaction(() => {
      this.insertSession.run({id: sessionId, project_id: this.projectId, parent_id: parentId, slug: `${r.pick(['calm', 'swift', 'brave'])}-${r.pick(['otter', 'falcon', 'maple'])}`, directory: cwd, title: title ?? text.prose(1).slice(0, 60), version: '1.18.33', cost: 0, tokens_input: 0, tokens_output: 0, agent: parentId ? 'general' : 'build', model: JSON.stringify({id: model.modelID, providerID: model.providerID}), time_created: startMs, time_updated: startMs})
      while (totals.bytes < targetBytes) this.turn(r, text, cwd, clock, sessionId, model, totals, children, targetBytes)
      this.db.prepare('UPDATE session SET cost = ?, tokens_input = ?, tokens_output = ?, time_updated = ? WHERE id = ?').run(totals.cost, totals.input, totals.output, clock.ms, sessionId)
    })
    write()
    // Child sessions are written after the parent's transaction, each in its own.
    let bytes = totals.bytes - children.reduce((sum, child) => sum + child.bytes, 0)
    for (const child of children) bytes += this.writeSession({random: r, text, cwd, targetBytes: child.bytes, startMs: child.ms, parentId: sessionId, title: child.title, id: child.id}).bytes
    return {id: sessionId, bytes, lastMs: clock.ms}
  }

  turn(r, text, cwd, clock, sessionId, model, totals, children, targetBytes) {
    clock.tick(r, 30_000, 900_000)
    const userId = this.message(sessionId, clock, totals, {role: 'user', time: {created: clock.ms}, agent: 'build', model: {providerID: model.providerID, modelID: model.modelID}})
    this.part(userId, sessionId, clock, totals, {type: 'text', text: text.prose(r.int(1, 6))})
    if (r.chance(0.03)) this.part(userId, sessionId, clock, totals, {type: 'file', mime: 'image/png', filename: 'screenshot.png', url: `data:image/png;base64,${text.imageBase64(r.int(30_000, 300_000))}`})

    const created = clock.tick(r, 500, 5000)
    const input = r.int(500, 150_000)
    const output = r.int(20, 5000)
    const cost = input * 3e-6 + output * 15e-6
    Object.assign(totals, {cost: totals.cost + cost, input: totals.input + input, output: totals.output + output})
    const info = {role: 'assistant', parentID: userId, modelID: model.modelID, providerID: model.providerID, agent: 'build', mode: 'build', path: {cwd, root: cwd}, cost, tokens: {input, output, reasoning: r.int(0, 2000), cache: {read: r.int(0, input), write: 0}}, time: {created}}
    const assistantId = this.message(sessionId, clock, totals, info)
    for (let step = r.int(1, 6); step > 0; step--) {
      if (totals.bytes >= targetBytes) step = 1
      this.part(assistantId, sessionId, clock, totals, {type: 'step-start', snapshot: r.hex(40)})
      if (r.chance(0.4)) this.part(assistantId, sessionId, clock, totals, {type: 'reasoning', text: text.prose(r.int(2, 15)), time: {start: clock.ms, end: clock.tick(r, 500, 20_000)}})
      this.part(assistantId, sessionId, clock, totals, {type: 'text', text: text.answer(step === 1 ? r.int(200, 2500) : r.int(20, 300)), time: {start: clock.ms, end: clock.tick(r, 100, 5000)}})
      if (step > 1) this.toolPart(r, text, cwd, clock, assistantId, sessionId, totals, children, targetBytes)
      this.part(assistantId, sessionId, clock, totals, {type: 'step-finish', reason: step > 1 ? 'tool-calls' : 'stop', snapshot: r.hex(40), cost: cost / 2, tokens: info.tokens})
    }
    // The finished message is written again with its completion time, as OpenCode updates it.
    info.time.completed = clock.ms
    info.finish = 'stop'
    this.db.prepare('UPDATE message SET data = ?, time_updated = ? WHERE id = ?').run(JSON.stringify(info), clock.ms, assistantId)
  }

  toolPart(r, text, cwd, clock, messageId, sessionId, totals, children, targetBytes) {
    const callID = `toolu_${r.base62(24)}`
    const start = clock.tick(r, 100, 2000)
    if (r.chance(0.03) && targetBytes - totals.bytes > 100_000) {
      const description = text.prose(1).slice(0, 40)
      const childBytes = Math.min(targetBytes * 0.25, r.int(30_000, 500_000))
      const child = {id: this.sessionId(start), bytes: childBytes, ms: start, title: `${description} (@general subagent)`}
      children.push(child)
      // The child's bytes count towards this session's size.
      totals.bytes += childBytes
      const input = {description, prompt: text.prose(r.int(3, 8)), subagent_type: 'general'}
      return this.part(messageId, sessionId, clock, totals, {type: 'tool', tool: 'task', callID, state: {status: 'completed', input, output: text.answer(r.int(300, 3000)), title: description, metadata: {sessionId: child.id, parentSessionId: sessionId, model: {}, truncated: false}, time: {start, end: clock.tick(r, 5000, 300_000)}}})
    }

    const action = toolAction(r, text, cwd, {scale: 1, cap: 300_000, images: true})
    const input = action.kind === 'bash' ? {command: action.command, description: action.description} : action.kind === 'edit' ? {filePath: action.file, oldString: action.oldText, newString: action.newText} : action.kind === 'write' ? {filePath: action.file, content: action.content} : action.kind === 'grep' ? {pattern: action.pattern} : {filePath: action.file}
    const end = clock.tick(r, 100, 60_000)
    const state = action.isError && r.chance(0.5)
      ? {status: 'error', input, error: action.output.slice(0, 2000), time: {start, end}}
      : {status: 'completed', input, output: action.output, title: action.file ?? action.command ?? '', metadata: action.kind === 'bash' ? {output: action.output.slice(0, 30_000), exit: action.isError ? 1 : 0, truncated: false} : {truncated: false}, time: {start, end}, ...(action.kind === 'image' ? {attachments: [{type: 'file', mime: 'image/png', url: `data:image/png;base64,${action.image}`}]} : {})}
    this.part(messageId, sessionId, clock, totals, {type: 'tool', tool: TOOL_NAMES[action.kind], callID, state})
  }

  message(sessionId, clock, totals, info) {
    const id = this.id('msg', clock.ms)
    const data = JSON.stringify(info)
    totals.bytes += data.length
    this.insertMessage.run(id, sessionId, clock.ms, clock.ms, data)
    return id
  }

  part(messageId, sessionId, clock, totals, part) {
    const id = this.id('prt', clock.ms)
    const data = JSON.stringify(part)
    totals.bytes += data.length
    this.insertPart.run(id, messageId, sessionId, clock.ms, clock.ms, data)
    return id
  }

  close() {
    this.db.close()
  }
}
