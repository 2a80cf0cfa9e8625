import {type Dirent, readdirSync} from 'node:fs'

/**
 * A folder's entries, none when it cannot be listed. Synchronous, like discovery's stats: a
 * listing costs less than a round trip through the thread pool, and discovery makes thousands.
 */
export function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, {withFileTypes: true})
  } catch {
    return []
  }
}
