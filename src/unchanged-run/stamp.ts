import {createHash, type Hash} from 'node:crypto'
import {readdirSync, type Stats, statSync} from 'node:fs'
import path from 'node:path'

/**
 * A path a run depends on. `tree`: a file, or a folder with everything in it. `folders`: a folder
 * and its subfolders, as lists of names (the output folder: an export deleted or renamed matters
 * there, one edited by hand does not). `listing`: the path itself (a folder's list of names).
 */
export interface RunInput {
  path: string
  scope: 'folders' | 'listing' | 'tree'
}

/**
 * One hash of the metadata (size, mtime, inode) of every input, absent ones included: equal
 * stamps mean none of them changed. Synchronous, like discovery: thousands of stats cost less
 * than as many round trips through the thread pool.
 */
export function stampInputs(inputs: readonly RunInput[]): string {
  const hash = createHash('sha256')
  for (const input of inputs) stampPath(hash, input.path, input.scope, new Set())
  return hash.digest('hex')
}

function stampPath(hash: Hash, file: string, scope: RunInput['scope'], visited: Set<string>): void {
  let info
  try {
    info = statSync(file, {throwIfNoEntry: false})
  } catch (error) {
    markUnreadable(hash, file, error)
    return
  }

  if (!info) {
    hash.update(`${file}\0absent\n`)
    return
  }

  hash.update(`${file}\0${info.isDirectory() ? 'd' : 'f'}${metadataStamp(info)}\n`)
  // Symlinked folders are followed, once each: a link back up the tree must not loop.
  const identity = `${info.dev}:${info.ino}`
  if (!info.isDirectory() || scope === 'listing' || visited.has(identity)) return
  visited.add(identity)
  let entries
  try {
    entries = readdirSync(file, {withFileTypes: true})
  } catch (error) {
    markUnreadable(hash, file, error)
    return
  }

  // Sorted: the order a folder lists its names in may change without its contents changing.
  for (const entry of entries.sort((a, b) => byCodeUnits(a.name, b.name))) {
    if (scope === 'tree' || entry.isDirectory()) stampPath(hash, path.join(file, entry.name), scope, visited)
  }
}

/**
 * What says a file is the same one, unchanged: its size, time and inode (a file replaced whole
 * has a new inode). Not ctime: SQLite run as root gives a write-ahead log it opens to the
 * database's owner (fchown) every time, so OpenCode's log would look changed after each export.
 */
export function metadataStamp(info: Pick<Stats, 'ino' | 'mtimeMs' | 'size'>): string {
  return `${info.size}:${info.mtimeMs}:${info.ino}`
}

/** A path that could not be looked at counts by its error: still unreadable, still the same stamp. */
function markUnreadable(hash: Hash, file: string, error: unknown): void {
  hash.update(`${file}\0!${(error as NodeJS.ErrnoException).code}\n`)
}

/** Orders strings the same on every machine, whatever its locale. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
