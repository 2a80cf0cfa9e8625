import path from 'node:path'
import type {ReaderContext, SessionRef} from 'sessionsync'
import {z} from 'zod'
import {databaseSource, type LayoutName, layoutNamed, rowChange, sessionInfoFromRow, sessionRows} from './db-source.js'
import {isoTime, text} from './json.js'
import {databasesIn, storageFolder} from './locate.js'
import {type SessionInfo, type SessionSource, shownTitle} from './stored.js'
import {type SessionFile, sessionFiles, storageSource, storedFirstPrompt, storageFingerprint} from './storage-source.js'

/** Which layout `sourcePath` is in: an OpenCode database (and which of its tables), or a session file of the JSON storage. */
export type Locator = {layout: 'database'; tables: LayoutName} | {layout: 'storage'}

/** Where the session a ref describes is read from. */
export function sourceOf(ref: SessionRef): SessionSource {
  const locator = (typeof ref.locator === 'object' && ref.locator !== null ? ref.locator : {}) as Partial<Locator>
  if (locator.layout === 'storage') return storageSource(ref.sourcePath, ref.id)
  return databaseSource(ref.sourcePath, layoutNamed(locator.layout === 'database' ? locator.tables : null), ref.id)
}

const FirstPromptSchema = z.string().nullable()

type Source = {sourcePath: string; fingerprint: string; sizeBytes: number; locator: Locator}

/** `firstPrompt`: what names a session OpenCode has not named, as it names the export read whole. */
async function refOf(info: SessionInfo, source: Source, firstPrompt: string | null, ctx: ReaderContext): Promise<SessionRef> {
  return {
    agent: 'opencode',
    createdAt: isoTime(info.created),
    gitBranches: (await ctx.kit.branchAtExport(info.directory, ctx)).seen,
    id: info.id,
    parentId: info.parentId,
    title: shownTitle(info.title) ?? (firstPrompt === null ? null : ctx.kit.titleFromPrompt(firstPrompt)),
    updatedAt: isoTime(info.updated),
    workspace: info.directory,
    ...source,
  }
}

async function* databaseRefs(file: string, ctx: ReaderContext): AsyncGenerator<SessionRef> {
  for (const row of await sessionRows(file, ctx)) {
    const info = sessionInfoFromRow(row)
    yield refOf(info, {...rowChange(row), locator: {layout: 'database', tables: layoutNamed(row.layout)}, sourcePath: file}, text(row.first_prompt), ctx)
  }
}

function inWorkspace(info: SessionInfo, workspace: string): boolean {
  const relative = info.directory === null ? '..' : path.relative(workspace, info.directory)
  return !relative.startsWith('..') && !path.isAbsolute(relative)
}

/**
 * The sessions of the JSON storage the databases do not hold (a session in both is the
 * database's), in the workspace or started by one that is, as the database query keeps them.
 */
async function* storageRefs(data: string, ctx: ReaderContext, known: Set<string>): AsyncGenerator<SessionRef> {
  const storage = storageFolder(data)
  const sessions: SessionFile[] = []
  for await (const session of sessionFiles(storage, ctx)) {
    if (known.has(session.info.id)) ctx.debug(`${session.file}: session ${session.info.id} is also in the database, which is read instead`)
    else sessions.push(session)
  }

  const workspace = ctx.hints.workspace
  const kept = new Set(sessions.filter(({info}) => workspace === null || inWorkspace(info, workspace)).map(({info}) => info.id))
  for (const session of sessions) {
    const {info} = session
    if (kept.has(info.id) || (info.parentId !== null && kept.has(info.parentId))) {
      const source: Source = {...(await storageFingerprint(storage, session, ctx)), locator: {layout: 'storage'}, sourcePath: session.file}
      // Read for a session OpenCode has not named, and remembered while its files are unchanged.
      const firstPrompt = shownTitle(info.title) === null ? await ctx.kit.remembered(ctx.memo, `${session.file}#prompt`, source.fingerprint, (value) => FirstPromptSchema.safeParse(value).data, () => storedFirstPrompt(storage, info.id, ctx)) : null
      yield refOf(info, source, firstPrompt, ctx)
    }
  }
}

export async function* discoverSessions(roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const known = new Set<string>()
  const folders: string[] = []
  for (const root of roots) {
    // A root is a data folder, or a database file `$OPENCODE_DB` points at.
    const databases = ctx.kit.statOrNull(root)?.isFile() ? [root] : databasesIn(root)
    if (!databases.includes(root)) folders.push(root)
    for (const database of databases) {
      for await (const ref of databaseRefs(database, ctx)) {
        known.add(ref.id)
        yield ref
      }
    }
  }

  for (const folder of folders) yield* storageRefs(folder, ctx, known)
}
