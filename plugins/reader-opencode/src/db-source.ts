import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import {z} from 'zod'
import type {Database} from './database.js'
import {databaseFingerprint, DatabaseProblem, describeProblem, prepared, withDatabase} from './database.js'
import type {Json} from './json.js'
import {text} from './json.js'
import {BETA_SESSIONS_SQL, checkSchema, hasBetaSessions, sessionColumns} from './schema.js'
import type {ForkFacts, SessionInfo, SessionSource, StoredMessage, StoredSession} from './stored.js'
import {extraFacts, parseRecord, shownTitle, spawningCallIn, timeOf} from './stored.js'
import {VERSION2_CONTINUED} from './continued-source.js'
import {VERSION1} from './v1-source.js'
import {VERSION2, VERSION2_BETA} from './v2-source.js'

/**
 * A session's row as the query returns it, with its message count and parts' size. The other
 * columns are not checked one by one (that cost more than the query): every use of them does.
 */
const SessionRowSchema = z.looseObject({
  message_count: z.number(),
  part_bytes: z.number(),
  /** Of a session OpenCode 2 copied: the 1.x messages its copy lacks, and their parts' size. */
  continued_messages: z.number().optional(),
  continued_bytes: z.number().optional(),
})

/** What discovery keeps of a database between runs (see `ctx.memo`): what the query found. */
const DatabaseSessionsSchema = z.array(SessionRowSchema)

export type SessionRow = z.infer<typeof SessionRowSchema>

/**
 * How a database keeps sessions: 1.x in `session`, `message` and `part`; OpenCode 2 in
 * `session_v2` and `session_message` (see v2.ts). Each layout reads its own tables.
 */
export interface DatabaseLayout {
  name: LayoutName
  sessionTable: string
  /** Columns read beside the session's own (`sessionColumns`), each as `, <expression> AS <name>`. */
  extraColumns: string
  /** Columns of a session's row, `s`: `message_count`, the content's `part_bytes`, and what tells an update in place. */
  sizes: string
  messages(db: Database, file: string, sessionId: string, ctx: ReaderContext): StoredMessage[]
  /** The person's first words; the content read for it is only reported under --verbose. */
  firstPrompt(db: Database, file: string, sessionId: string, ctx: ReaderContext): string | null
  /** The parts of `parentId` that may hold the calls that started its child sessions. */
  spawningParts(db: Database, file: string, parentId: string, ctx: ReaderContext): Json[]
}

export type LayoutName = 'version1' | 'version2' | 'version2-continued' | 'version2-beta'

/** What is read of a session's row: the columns of it this reader uses, and the layout's own. */
function rowColumns(db: Database, layout: DatabaseLayout): string {
  return `${sessionColumns(db, layout.sessionTable)}${layout.extraColumns}`
}

/**
 * Sessions in the workspace (its folder or below), and the children of those wherever they
 * ran: a subagent goes with its parent. Messages are counted, never loaded, and the size of
 * the content is `octet_length`, which SQLite answers from the record header without reading
 * it (`length` would read every byte of it). `only`: a condition on `s.id`, for a table that holds
 * sessions of two layouts.
 */
function sessionsSql(db: Database, layout: DatabaseLayout, only: string): string {
  const inWorkspace = (table: string) => `${table}directory IN (:folder, :slashed) OR substr(${table}directory, 1, length(:prefix)) IN (:prefix, :slashedPrefix)`
  return `
  SELECT ${rowColumns(db, layout)}, '${layout.name}' AS layout, ${layout.sizes}
  FROM ${layout.sessionTable} s
  WHERE (:folder IS NULL OR ${inWorkspace('s.')} OR s.parent_id IN (SELECT id FROM ${layout.sessionTable} WHERE ${inWorkspace('')}))
    ${only}
  ORDER BY s.time_created, s.id`
}

/**
 * The session rows of the workspace. OpenCode on Windows stores folders with `/` since its
 * migration `normalize_storage_paths` (a database it has not opened since, with `\`), so both
 * forms are asked for. Compared as a prefix rather than with LIKE, whose `_` and `%` are common
 * in folder names.
 */
export function workspaceRows(db: Database, folder: string | null, {layout = VERSION1, only = '', paths = path}: {layout?: DatabaseLayout; only?: string; paths?: path.PlatformPath} = {}): SessionRow[] {
  const prefix = folder === null || folder.endsWith(paths.sep) ? folder : `${folder}${paths.sep}`
  const slashed = (form: string | null) => (form !== null && paths.sep === '\\' ? form.replaceAll('\\', '/') : form)
  return prepared(db, sessionsSql(db, layout, only)).all({folder, prefix, slashed: slashed(folder), slashedPrefix: slashed(prefix)}) as SessionRow[]
}

/**
 * What tells a session's row changed (a write of OpenCode 2 or, to a session it copied, of 1.x),
 * and the size of its content. A column a layout does not have is left out.
 */
export function rowChange(row: SessionRow): {fingerprint: string; sizeBytes: number} {
  const columns = [row.time_updated, row.message_count, row.part_bytes, row.last_write, row.version1_updated, row.continued_messages, row.continued_bytes]
  return {fingerprint: columns.filter((column) => column !== undefined).map(String).join(':'), sizeBytes: row.part_bytes + (row.continued_bytes ?? 0)}
}

/** A folder as OpenCode stored it, in the platform's own form (see `workspaceRows`). */
export function nativeFolder(stored: string | null, paths: path.PlatformPath = path): string | null {
  return stored !== null && paths.sep === '\\' ? stored.replaceAll('/', '\\') : stored
}

const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))

export function sessionInfoFromRow(row: Json): SessionInfo {
  return {
    created: timeOf(row.time_created),
    directory: nativeFolder(text(row.directory)),
    forkedFrom: text(row.fork_session_id),
    extra: extraFacts({
      agent: row.agent,
      archived: row.time_archived,
      path: row.path,
      projectId: row.project_id,
      revert: typeof row.revert === 'string' ? parseRecord(row.revert, 'revert', () => {}) : null,
      shareUrl: row.share_url,
      slug: row.slug,
    }),
    id: String(row.id),
    parentId: text(row.parent_id),
    title: text(row.title),
    // A session OpenCode 2 copied was last written by whichever version wrote it last.
    updated: later(timeOf(row.time_updated), timeOf(row.version1_updated)),
    version: text(row.version),
  }
}

/**
 * The queries of a database's sessions, by layout: OpenCode 2's (with what 1.x wrote to them
 * after the copy, where 1.x's tables are there too), then 1.x's that it has no copy of. Without
 * `session_v2`, a beta of OpenCode 2 may have put sessions in 1.x's table.
 */
function layoutQueries(db: Database, file: string): Array<{layout: DatabaseLayout; only: string}> {
  const {version1, version2} = checkSchema(db, file)
  const beta = !version2 && hasBetaSessions(db)
  return [
    ...(version2 ? [{layout: version1 ? VERSION2_CONTINUED : VERSION2, only: ''}] : []),
    ...(beta ? [{layout: VERSION2_BETA, only: `AND s.id IN (${BETA_SESSIONS_SQL})`}] : []),
    ...(version1 ? [{layout: VERSION1, only: version2 ? `AND s.id NOT IN (SELECT id FROM ${VERSION2.sessionTable})` : beta ? `AND s.id NOT IN (${BETA_SESSIONS_SQL})` : ''}] : []),
  ]
}

/**
 * The session rows of one database in the workspace asked for (all of them without one), of
 * every layout it holds. Each that OpenCode has not named (yet: a session is named after its
 * first reply, and `watch` exports sooner) has its first prompt (`first_prompt`), which names it
 * instead.
 */
export async function sessionRows(file: string, ctx: ReaderContext): Promise<SessionRow[]> {
  const folder = ctx.hints.workspace
  const query = () =>
    withDatabase(file, ctx, (db) =>
      layoutQueries(db, file).flatMap((options) =>
        workspaceRows(db, folder, options).map((row) => (shownTitle(text(row.title)) === null ? {...row, first_prompt: options.layout.firstPrompt(db, file, String(row.id), ctx)} : row)),
      ),
    )
  try {
    // While its files are unchanged, so are its rows: a re-run neither loads SQLite nor queries.
    const fingerprint = databaseFingerprint(file, ctx)
    return fingerprint === null ? await query() : await ctx.kit.remembered(ctx.memo, `${file}\n${folder ?? ''}`, fingerprint, (value) => DatabaseSessionsSchema.safeParse(value).data, query)
  } catch (error) {
    ctx.warn(describeProblem(file, error))
    return []
  }
}

const LAYOUTS: Record<LayoutName, DatabaseLayout> = {version1: VERSION1, version2: VERSION2, 'version2-beta': VERSION2_BETA, 'version2-continued': VERSION2_CONTINUED}

/** The layout a locator names; 1.x's for one made before there were others. */
export function layoutNamed(name: unknown): LayoutName {
  return typeof name === 'string' && Object.hasOwn(LAYOUTS, name) ? (name as LayoutName) : 'version1'
}

/** One session whole; a database that cannot be read throws, saying why. */
async function loadSession(file: string, layout: DatabaseLayout, sessionId: string, ctx: ReaderContext): Promise<StoredSession> {
  try {
    return await withDatabase(file, ctx, (db) => {
      checkSchema(db, file)
      const row = prepared(db, `SELECT ${rowColumns(db, layout)} FROM ${layout.sessionTable} s WHERE s.id = ?`).get(sessionId) as Json | undefined
      if (!row) throw new DatabaseProblem(`${file}: session ${sessionId} is no longer in the database`)
      return {info: sessionInfoFromRow(row), messages: layout.messages(db, file, sessionId, ctx)}
    })
  } catch (error) {
    throw new Error(describeProblem(file, error))
  }
}

/** Newest first, so a fork of a fork finds the fork it was copied from, not the first original. */
const FORK_ORIGIN_SQL = `
  SELECT s.id FROM session s
  WHERE s.id != ? AND s.time_created < ?
    AND EXISTS (SELECT 1 FROM message m WHERE m.session_id = s.id AND m.time_created = ?)
  ORDER BY s.time_created DESC LIMIT 1`

async function forkOrigin(file: string, forkId: string, fork: ForkFacts, ctx: ReaderContext): Promise<string | null> {
  const row = await withDatabase(file, ctx, (db) => prepared(db, FORK_ORIGIN_SQL).get(forkId, fork.created, fork.copiedAt) as Json | undefined).catch(() => undefined)
  return row ? String(row.id) : null
}

export function databaseSource(file: string, layoutName: LayoutName, sessionId: string): SessionSource {
  const layout = LAYOUTS[layoutName]
  return {
    forkOrigin: (fork, ctx) => forkOrigin(file, sessionId, fork, ctx),
    load: (ctx) => loadSession(file, layout, sessionId, ctx),
    spawningCall: (parentId, ctx) => spawningCallIn(`${file}\n${layout.name}`, parentId, sessionId, () => withDatabase(file, ctx, (db) => layout.spawningParts(db, file, parentId, ctx)).catch(() => [] as Json[]), ctx),
  }
}
