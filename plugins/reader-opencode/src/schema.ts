import type {Database} from './database.js'
import {DatabaseProblem} from './database.js'

/**
 * The columns this reader needs, checked by name rather than by migration id: OpenCode adds
 * columns often (38 migrations by 1.18), and any database that has these can be read.
 */
const VERSION1_COLUMNS: Record<string, string[]> = {
  message: ['id', 'session_id', 'time_created', 'data'],
  part: ['id', 'message_id', 'session_id', 'data'],
  session: ['id', 'parent_id', 'directory', 'title', 'time_created', 'time_updated'],
}

/** OpenCode 2's tables (see v2.ts). */
const VERSION2_COLUMNS: Record<string, string[]> = {
  session_message: ['id', 'session_id', 'type', 'seq', 'data'],
  session_v2: ['id', 'parent_id', 'directory', 'title', 'time_created', 'time_updated'],
}

/**
 * Which tables hold sessions. OpenCode 2 adds `session_v2` and copies 1.x's sessions into it
 * once (`version1` stays, and a 1.x still installed goes on writing it); a database it made
 * holds only `version2`.
 */
export interface Layouts {
  version1: boolean
  version2: boolean
}

/**
 * The columns of a session's own row that this reader uses (see `sessionInfoFromRow`). Not `*`:
 * the others (a summary of the files changed, which OpenCode may fill with their contents, the
 * permission rules, the usage totals) would go into memory for every session at discovery, and
 * into the discovery cache.
 */
const SESSION_ROW_COLUMNS = ['id', 'project_id', 'parent_id', 'fork_session_id', 'slug', 'directory', 'path', 'title', 'version', 'share_url', 'revert', 'agent', 'time_created', 'time_updated', 'time_archived']

/** Per connection and table: `sessionColumns`, asked for every session read. */
const sessionColumnLists = new WeakMap<Database, Map<string, string>>()

/** `s.<column>` for each column of `SESSION_ROW_COLUMNS` the table has: older and newer schemas lack some. */
export function sessionColumns(db: Database, table: string): string {
  let lists = sessionColumnLists.get(db)
  if (!lists) sessionColumnLists.set(db, (lists = new Map()))
  let list = lists.get(table)
  if (list === undefined) {
    const present = columnsOf(db, table)
    list = SESSION_ROW_COLUMNS.filter((column) => present.has(column)).map((column) => `s.${column}`).join(', ')
    lists.set(table, list)
  }

  return list
}

function columnsOf(db: Database, table: string): Set<string> {
  const rows = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{name: string}>
  return new Set(rows.map((row) => row.name))
}

/** Connections already checked: a connection is reused across the sessions of a run. */
const checked = new WeakMap<Database, Layouts>()

/** The layouts a database holds; throws when it is not one of OpenCode's that this reader understands. */
export function checkSchema(db: Database, file: string): Layouts {
  const known = checked.get(db)
  if (known) return known
  const version2 = columnsOf(db, 'session_v2').size > 0
  const layouts = {version1: !version2 || columnsOf(db, 'session').size > 0, version2}
  const required = {...(layouts.version1 ? VERSION1_COLUMNS : {}), ...(version2 ? VERSION2_COLUMNS : {})}
  const missing = Object.entries(required).flatMap(([table, columns]) => {
    const present = columnsOf(db, table)
    if (present.size === 0) return [`table ${table}`]
    return columns.filter((column) => !present.has(column)).map((column) => `${table}.${column}`)
  })
  if (missing.length > 0) {
    throw new DatabaseProblem(`${file}: has a schema this reader does not know (missing ${missing.join(', ')}); skipped`)
  }

  checked.set(db, layouts)
  return layouts
}

/**
 * The sessions a beta of OpenCode 2 from before August 2026 wrote into a database without
 * `session_v2`: their rows are in 1.x's `session`, their messages only in `session_message`. 1.x
 * writes rows there too (a model switch, in 1.17 builds), for sessions whose 1.x messages are
 * what is read: those are not among them.
 */
export const BETA_SESSIONS_SQL = 'SELECT session_id FROM session_message WHERE session_id NOT IN (SELECT session_id FROM message)'

export function hasBetaSessions(db: Database): boolean {
  return columnsOf(db, 'session_message').size > 0 && db.prepare(`${BETA_SESSIONS_SQL} LIMIT 1`).get() !== undefined
}
