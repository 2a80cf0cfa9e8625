import {type Dirent, readdirSync, statSync} from 'node:fs'

/**
 * A folder's time of change may be kept this coarsely (FAT keeps 2 s): an entry that arrives in
 * the same tick as the listing before it leaves that time as it was.
 */
const COARSE_CLOCK_MS = 2000

/**
 * The entries of folders looked at again and again (watch's large folders, every few seconds),
 * listed only when the folder changed since its last listing: an entry that arrives or leaves
 * changes its time of change. Listing 9,000 entries each time, and the garbage of it, was most of
 * what an idle watch cost.
 */
export class FolderListings {
  private readonly changedAt = new Map<string, number>()

  /** The folder's entries; null when none arrived or left since its last listing; [] when it is not there. */
  changedEntries(folder: string): Dirent[] | null {
    const changedAt = statSync(folder, {throwIfNoEntry: false})?.mtimeMs
    if (changedAt === undefined) return []
    const known = this.changedAt.get(folder) === changedAt && Date.now() - changedAt > COARSE_CLOCK_MS
    if (known) return null
    this.changedAt.set(folder, changedAt)
    return folderEntries(folder) ?? []
  }

  /** Lists the folder at the next look whatever its time: it went away, and may come back as it was (moved back). */
  forget(folder: string): void {
    this.changedAt.delete(folder)
  }
}

/** A folder's entries; null for a file, or a path that is not there (yet). */
export function folderEntries(path: string): Dirent[] | null {
  try {
    return readdirSync(path, {withFileTypes: true})
  } catch {
    return null
  }
}
