import {type Stats, statSync} from 'node:fs'

/**
 * What is at a path, or null: nothing there, a file where a folder of the path should be, or no
 * access. Synchronous: a stat takes microseconds, a round trip through the thread pool longer.
 */
export function statOrNull(place: string): Stats | null {
  try {
    return statSync(place)
  } catch {
    return null
  }
}
