import {type Dirent, readdirSync} from 'node:fs'
import type {ReaderContext} from 'sessionsync'

/**
 * A folder's entries; none when it does not exist (most sessions have no subagents folder), and
 * none with a warning when it cannot be listed, since its sessions are then missing from the run.
 * Synchronous, like discovery's stats: a listing costs less than a round trip through the thread
 * pool, and discovery makes thousands.
 */
export function entriesOf(folder: string, ctx: Pick<ReaderContext, 'warn'>): Dirent[] {
  try {
    return readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') ctx.warn(`${folder}: cannot be listed (${(error as Error).message}), the sessions in it are skipped`)
    return []
  }
}
