import type {ReaderContext} from 'sessionsync'
import type {Database} from './database.js'
import {prepared} from './database.js'
import type {DatabaseLayout} from './db-source.js'
import type {Json} from './json.js'
import {promptOf} from './messages.js'
import type {StoredMessage} from './stored.js'
import {MAY_SPAWN_SQL, parseRecord} from './stored.js'

/** Rows of `part` as parts: one whose JSON is corrupt is told with `report` and left out. */
function partsOfRows(rows: Json[], where: string, report: (message: string) => void): Json[] {
  return rows.map((row) => parseRecord(row.data, `${where}, part ${String(row.id)}`, report)).filter((part) => part !== null)
}

/** 1.x's user messages are found by their text, so that a corrupt message's JSON costs only that message. */
function version1FirstPrompt(db: Database, file: string, sessionId: string, ctx: ReaderContext): string | null {
  const where = `${file}: session ${sessionId}`
  const messages = prepared(db, `SELECT id, data FROM message WHERE session_id = ? AND instr(data, '"role":"user"') > 0 ORDER BY time_created, id LIMIT 20`).all(sessionId) as Json[]
  for (const message of messages) {
    if (parseRecord(message.data, `${where}, message ${String(message.id)}`, ctx.debug)?.role !== 'user') continue
    const rows = prepared(db, 'SELECT id, data FROM part WHERE message_id = ? ORDER BY id').all(message.id) as Json[]
    const prompt = promptOf(partsOfRows(rows, where, ctx.debug))
    if (prompt !== null) return prompt
  }

  return null
}

/** A session's 1.x messages with their parts, in order; `only`: SQL ANDed to the messages' rows, `m`. */
export function version1Messages(db: Database, file: string, sessionId: string, ctx: ReaderContext, only = ''): StoredMessage[] {
  const where = `${file}: session ${sessionId}`
  const messages = new Map<string, StoredMessage>()
  const messageRows = prepared(db, `SELECT m.id, m.data FROM message m WHERE m.session_id = ? ${only} ORDER BY m.time_created, m.id`).all(sessionId) as Json[]
  for (const row of messageRows) {
    const info = parseRecord(row.data, `${where}, message ${String(row.id)}`, ctx.warn)
    if (info) messages.set(String(row.id), {id: String(row.id), info, parts: []})
  }

  // The usual answer when only what OpenCode 2 has no copy of is asked for: its parts are not looked at.
  if (messages.size === 0) return []
  // In the order they are stored, each message's parts sorted here: SQLite sorting the rows, their
  // data with them, took the query of a 140 MB session's parts 0.78 s instead of 0.46–0.65 s.
  const partRows = prepared(db, 'SELECT id, message_id, data FROM part WHERE session_id = ?').iterate(sessionId) as Iterable<Json>
  for (const row of partRows) {
    const message = messages.get(String(row.message_id))
    const part = message && parseRecord(row.data, `${where}, part ${String(row.id)}`, ctx.warn)
    if (part) message.parts.push({...part, id: String(row.id)})
  }

  for (const message of messages.values()) message.parts.sort(byId)
  return [...messages.values()]
}

/** As SQLite's `ORDER BY id` orders OpenCode's ids, which are ASCII and ascend with time. */
function byId(a: Json, b: Json): number {
  const left = String(a.id)
  const right = String(b.id)
  return left < right ? -1 : left > right ? 1 : 0
}

/** OpenCode 1.x's tables: `session`, and each message's row of `message` with its rows of `part`. */
export const VERSION1: DatabaseLayout = {
  extraColumns: '',
  firstPrompt: version1FirstPrompt,
  messages: (db, file, sessionId, ctx) => version1Messages(db, file, sessionId, ctx),
  name: 'version1',
  sessionTable: 'session',
  sizes: `(SELECT count(*) FROM message m WHERE m.session_id = s.id) AS message_count,
    (SELECT coalesce(sum(octet_length(p.data)), 0) FROM part p WHERE p.session_id = s.id) AS part_bytes`,
  spawningParts(db, file, parentId, ctx) {
    const rows = prepared(db, `SELECT id, data FROM part WHERE session_id = ? AND ${MAY_SPAWN_SQL} ORDER BY id`).all(parentId) as Json[]
    return partsOfRows(rows, `${file}: session ${parentId}`, ctx.debug)
  },
}
