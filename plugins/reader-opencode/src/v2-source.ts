import type {ReaderContext} from 'sessionsync'
import type {Database} from './database.js'
import {prepared} from './database.js'
import type {DatabaseLayout} from './db-source.js'
import type {Json} from './json.js'
import {promptOf} from './messages.js'
import type {StoredMessage} from './stored.js'
import {MAY_SPAWN_SQL, parseRecord} from './stored.js'
import {fromV2Row} from './v2.js'

interface RowFilter {
  /** SQL ANDed to the session's rows. */
  where?: string
  limit?: number
  /** Where a row with corrupt JSON is told: a warning when the session is read, else --verbose. */
  corrupt: (message: string) => void
}

/** A session's rows of `session_message`, in order, as 1.x's messages. A corrupt or unknown row costs only itself. */
function storedMessages(db: Database, file: string, sessionId: string, {corrupt, limit, where = ''}: RowFilter, ctx: ReaderContext): StoredMessage[] {
  const sql = `SELECT id, type, data FROM session_message WHERE session_id = ? ${where} ORDER BY seq${limit === undefined ? '' : ` LIMIT ${limit}`}`
  const messages: StoredMessage[] = []
  for (const row of prepared(db, sql).iterate(sessionId) as Iterable<Json>) {
    const label = `${file}: session ${sessionId}, message ${String(row.id)}`
    const data = parseRecord(row.data, label, corrupt)
    if (data === null) continue
    const converted = fromV2Row({data, id: String(row.id), type: String(row.type)})
    if (converted === null) ctx.debug(`${label}: of unknown type ${JSON.stringify(row.type)}; skipped`)
    else messages.push(...converted)
  }

  return messages
}

const partsOf = (messages: StoredMessage[]) => messages.flatMap((message) => message.parts)

/** OpenCode 2's tables: `session_v2`, whose rows are like 1.x's, and the typed rows of `session_message`. */
export const VERSION2: DatabaseLayout = {
  extraColumns: '',
  firstPrompt: (db, file, sessionId, ctx) => promptOf(partsOf(storedMessages(db, file, sessionId, {corrupt: ctx.debug, limit: 20, where: `AND type = 'user'`}, ctx))),
  messages: (db, file, sessionId, ctx) => storedMessages(db, file, sessionId, {corrupt: ctx.warn}, ctx),
  name: 'version2',
  sessionTable: 'session_v2',
  // Rows are rewritten in place while a step streams: the last write tells that apart.
  sizes: `(SELECT count(*) FROM session_message m WHERE m.session_id = s.id) AS message_count,
    (SELECT coalesce(sum(octet_length(m.data)), 0) FROM session_message m WHERE m.session_id = s.id) AS part_bytes,
    (SELECT max(m.time_updated) FROM session_message m WHERE m.session_id = s.id) AS last_write`,
  spawningParts: (db, file, parentId, ctx) => partsOf(storedMessages(db, file, parentId, {corrupt: ctx.debug, where: `AND type = 'assistant' AND ${MAY_SPAWN_SQL}`}, ctx)),
}

/** A beta of OpenCode 2 from before August 2026 kept the same rows, its sessions in 1.x's `session` table. */
export const VERSION2_BETA: DatabaseLayout = {...VERSION2, name: 'version2-beta', sessionTable: 'session'}
