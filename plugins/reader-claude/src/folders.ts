import {type Dirent, readdirSync, statSync} from 'node:fs'
import type {ReaderContext} from 'sessionsync'

/**
 * A folder's entries; none when it does not exist (most sessions have no subagents folder), and
 * none with a warning when it cannot be listed, since its sessions are then missing from the run.
 * Synchronous, like discovery's stats: a listing costs less than a round trip through the thread
 * pool, and discovery makes thousands.
 */
export function entriesOf(folder: string, ctx: Pick<ReaderContext, 'warn'>): Dirent[] {
  try {
    // Asked first, as most are missing: a failed listing throws an error, which cost 30 µs a
    // session in a run of thousands; a stat told to expect none throws nothing then.
    if (!statSync(folder, {throwIfNoEntry: false})) return []
    return readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') ctx.warn(`${folder}: cannot be listed (${(error as Error).message}), the sessions in it are skipped`)
    return []
  }
}
