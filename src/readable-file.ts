import {accessSync, constants, statSync} from 'node:fs'

/** Whether a path is a file this process may read: not gone, not a folder, not closed to it. */
export function readableFile(file: string): boolean {
  try {
    accessSync(file, constants.R_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}
