import {closeSync, openSync, readSync, type Stats} from 'node:fs'
import {pathToFileURL} from 'node:url'
import type BetterSqlite3 from 'better-sqlite3'
import type {ReaderContext} from 'sessionsync'

export type Database = BetterSqlite3.Database

/** OpenCode itself waits 5 s for its own writers; a reader gives up sooner and says so. */
const BUSY_TIMEOUT_MS = 3000

let driver: Promise<typeof BetterSqlite3> | undefined

/**
 * better-sqlite3, loaded on first use. SQLite reads `file:` URIs (needed for `readonly_shm`
 * and `immutable`) only when the addon is loaded with SQLITE_USE_URI=1, so this is set before
 * the import.
 */
function loadDriver(): Promise<typeof BetterSqlite3> {
  driver ??= (async () => {
    process.env.SQLITE_USE_URI ??= '1'
    return (await import('better-sqlite3')).default
  })()
  return driver
}

const SQLITE_MAGIC = 'SQLite format 3\0'
/** Byte 18 of the header, the file format's write version: 2 means WAL mode. */
const WAL_WRITE_VERSION = 2

/** Synchronous on purpose, as are the stats: they run before every session read, and a promise round trip costs more than the call. */
function header(file: string): Buffer {
  const descriptor = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(100)
    return buffer.subarray(0, readSync(descriptor, buffer, 0, 100, 0))
  } finally {
    closeSync(descriptor)
  }
}

/**
 * Changes whenever the database's content may have: SQLite writes to the log (-wal) first and
 * to the database file at checkpoints, and each write changes a file's time. Null when the
 * database cannot be stat'ed.
 */
export function databaseFingerprint(file: string, ctx: ReaderContext): string | null {
  const stamp = (info: Stats | null) => info && `${info.size}:${info.mtimeMs}`
  const database = stamp(ctx.kit.statOrNull(file))
  return database && `${database}/${stamp(ctx.kit.statOrNull(`${file}-wal`)) ?? 'no log'}`
}

/**
 * What to hand SQLite so that reading creates and changes nothing beside the database.
 * A WAL database whose log and index exist (OpenCode is running, or was not closed) is read
 * with its index opened read-only (`readonly_shm`): SQLite then builds its own copy of the
 * index from the log in memory, so rows still only in the log are seen, yet the shared index
 * is never rewritten (a first reader from another process would otherwise rebuild it). Without
 * them, a read-only connection would create both files, while the database file holds
 * everything: it is then opened `immutable`, which touches no other file.
 */
function openTarget(file: string, ctx: ReaderContext): string {
  const head = header(file)
  if (head.length === 0) throw new DatabaseProblem(`${file}: is empty (0 bytes), not an OpenCode database; skipped`)
  if (head.length < 100 || head.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    throw new DatabaseProblem(`${file}: is not an SQLite database (corrupt or another kind of file); skipped`)
  }

  const uri = pathToFileURL(file).href
  if (head[18] !== WAL_WRITE_VERSION) return uri
  const wal = ctx.kit.statOrNull(`${file}-wal`)?.size ?? null
  const shm = ctx.kit.statOrNull(`${file}-shm`)
  if (wal !== null && shm !== null) return `${uri}?readonly_shm=1`
  if (wal) ctx.warn(`${file}: its write-ahead log has no index (-shm) beside it; rows only in the log are not read, as reading them would create a file there`)
  return `${uri}?immutable=1`
}

/** A database that cannot be read, described for the user. */
export class DatabaseProblem extends Error {}

/** Says in a sentence what an SQLite error means for the user; the code alone means little. */
export function describeProblem(file: string, error: unknown): string {
  if (error instanceof DatabaseProblem) return error.message
  const {code, message} = error as {code?: string; message?: string}
  const detail = `(${code ?? 'error'}: ${message ?? String(error)})`
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED')) {
    return `${file}: is locked by another program (OpenCode writing?) and stayed locked for ${BUSY_TIMEOUT_MS / 1000} s; skipped, run again later ${detail}`
  }

  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return `${file}: is corrupt and cannot be read; skipped ${detail}`
  if (code?.startsWith('SQLITE_CANTOPEN') || code?.startsWith('SQLITE_READONLY') || code?.startsWith('SQLITE_PERM')) {
    return `${file}: cannot be opened read-only; skipped ${detail}`
  }

  return `${file}: could not be read; skipped ${detail}`
}

/**
 * A sync reads hundreds of sessions in a row: opening the database for each was a third of
 * the reader's time. A connection is kept while reads follow each other and closed once they
 * pause, so nothing stays open (or sees an old state of the files) beyond a run.
 */
const IDLE_CLOSE_MS = 100
const connections = new Map<string, {db: Database; target: string; timer?: NodeJS.Timeout}>()

function closeConnection(file: string): void {
  const connection = connections.get(file)
  if (!connection) return
  clearTimeout(connection.timer)
  connections.delete(file)
  connection.db.close()
}

const statements = new WeakMap<Database, Map<string, BetterSqlite3.Statement>>()

/**
 * A statement prepared once per connection: a sync runs the same few queries for each of
 * hundreds of sessions, and preparing them each time was a fifth of the queries' cost.
 */
export function prepared(db: Database, sql: string): BetterSqlite3.Statement {
  let ofConnection = statements.get(db)
  if (!ofConnection) statements.set(db, (ofConnection = new Map()))
  let statement = ofConnection.get(sql)
  if (!statement) ofConnection.set(sql, (statement = db.prepare(sql)))
  return statement
}

/**
 * Runs `use` on a read-only connection to the database. Reading never writes: the connection
 * is read-only, takes only shared locks, and waits a little while OpenCode writes before
 * giving up with SQLITE_BUSY.
 */
export async function withDatabase<T>(file: string, ctx: ReaderContext, use: (db: Database) => T): Promise<T> {
  const target = openTarget(file, ctx)
  // The log appeared or went away since: the way to open the database changed.
  if (connections.get(file)?.target !== target) closeConnection(file)
  let connection = connections.get(file)
  if (!connection) {
    const Driver = await loadDriver()
    connection = {db: new Driver(target, {fileMustExist: true, readonly: true, timeout: BUSY_TIMEOUT_MS}), target}
    connections.set(file, connection)
  }

  clearTimeout(connection.timer)
  connection.timer = setTimeout(() => closeConnection(file), IDLE_CLOSE_MS).unref()
  try {
    return use(connection.db)
  } catch (error) {
    // A connection that failed (locked, corrupt) is not trusted with the next read.
    closeConnection(file)
    throw error
  }
}
