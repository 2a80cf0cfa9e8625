import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {ReaderContext, ReaderInput} from 'sessionsync'

/**
 * OpenCode's data folder: `$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`, on every
 * platform (OpenCode's global/index.ts uses xdg-basedir, whose fallback is the home folder).
 */
function dataFolder(ctx: ReaderContext): string {
  const xdg = ctx.env.XDG_DATA_HOME
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(ctx.home, '.local', 'share'), 'opencode')
}

/** `$OPENCODE_DB`: an absolute path, or one relative to the data folder; `:memory:` keeps nothing. */
function databaseOverride(ctx: ReaderContext, data: string): string | null {
  const override = ctx.env.OPENCODE_DB
  if (!override || override === ':memory:') return null
  return path.resolve(data, override)
}

/**
 * The data folder when it holds sessions (a database or the JSON storage), and the database
 * `$OPENCODE_DB` names when it lies outside it.
 */
export async function locateRoots(ctx: ReaderContext): Promise<string[]> {
  const data = dataFolder(ctx)
  const roots: string[] = []
  if (databasesIn(data).length > 0 || ctx.kit.statOrNull(storageFolder(data))) roots.push(data)
  const override = databaseOverride(ctx, data)
  if (override && path.dirname(override) !== data && ctx.kit.statOrNull(override)) roots.push(override)
  return roots
}

/**
 * What discovery depends on: which databases the data folder holds (its names only: its logs
 * and snapshots do not matter), each database with its write-ahead log, and the JSON storage.
 */
export async function inputs(ctx: ReaderContext): Promise<ReaderInput[]> {
  const data = dataFolder(ctx)
  const override = databaseOverride(ctx, data)
  const databases = [...databasesIn(data), ...(override ? [override] : [])]
  return [{listing: data}, ...databases.flatMap((database) => [database, `${database}-wal`]), storageFolder(data)]
}

export function storageFolder(data: string): string {
  return path.join(data, 'storage')
}

/**
 * `opencode.db` of the release channels and `opencode-<channel>.db` of other builds
 * (storage/db.ts): every channel's sessions belong to the user.
 */
export function databasesIn(folder: string): string[] {
  let names: string[]
  try {
    // Synchronous, as watchPaths asks for it too: a listing takes microseconds.
    names = readdirSync(folder)
  } catch {
    return []
  }

  return names
    .filter((name) => /^opencode.*\.db$/.test(name))
    .sort()
    .map((name) => path.join(folder, name))
}

/** Each database, its write-ahead log (where recent rows live while OpenCode runs) and the JSON storage. */
export function watchPaths(roots: string[]): string[] {
  return roots.flatMap((root) => {
    const logged = (database: string) => [database, `${database}-wal`]
    // watch asks again every few seconds, so a channel's database created later is found.
    return root.endsWith('.db') ? logged(root) : [...databasesIn(root).flatMap(logged), storageFolder(root)]
  })
}
