import type {Database} from './database.js'
import {DatabaseProblem} from './database.js'

/**
 * The columns this reader needs, checked by name rather than by migration id: OpenCode adds
 * columns often (38 migrations by 1.18), and any database that has these can be read.
 */
const REQUIRED_COLUMNS: Record<string, string[]> = {
  message: ['id', 'session_id', 'time_created', 'data'],
  part: ['id', 'message_id', 'session_id', 'data'],
  session: ['id', 'parent_id', 'directory', 'title', 'time_created', 'time_updated'],
}

function columnsOf(db: Database, table: string): Set<string> {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{name: string}>
  return new Set(rows.map((row) => row.name))
}

/** Connections already checked: a connection is reused across the sessions of a run. */
const checked = new WeakSet<Database>()

/** Throws when the database is not one of OpenCode's that this reader understands. */
export function checkSchema(db: Database, file: string): void {
  if (checked.has(db)) return
  const missing = Object.entries(REQUIRED_COLUMNS).flatMap(([table, required]) => {
    const columns = columnsOf(db, table)
    if (columns.size === 0) return [`table ${table}`]
    return required.filter((column) => !columns.has(column)).map((column) => `${table}.${column}`)
  })
  if (missing.length > 0) {
    throw new DatabaseProblem(`${file}: has a schema this reader does not know (missing ${missing.join(', ')}); skipped`)
  }

  checked.add(db)
}

/**
 * How many sessions only OpenCode 2 wrote: it keeps them in a new table family the 1.x tables
 * do not show. They are not read yet, which the user should know rather than find sessions
 * silently missing. A 1.x session can have rows there too (a model switch, in 1.17 builds):
 * its 1.x messages are read, so it is not counted.
 */
export function version2SessionCount(db: Database): number {
  if (columnsOf(db, 'session_message').size === 0) return 0
  const row = db.prepare('SELECT COUNT(DISTINCT session_id) AS count FROM session_message WHERE session_id NOT IN (SELECT session_id FROM message)').get() as {count: number}
  return row.count
}
