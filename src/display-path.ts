import os from 'node:os'
import path from 'node:path'

/** A file's path from the current folder when it is under it, else whole: what a terminal user can open. */
export function fromCurrentFolder(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}

/** A folder with the home folder as `~`, as a shell shows it: the part of the path that tells projects apart. */
export function homeShortened(folder: string | null): string {
  if (!folder) return '-'
  const inHome = pathInside(folder, os.homedir())
  return inHome === null ? folder : inHome === '' ? '~' : `~${path.sep}${inHome}`
}

/**
 * A folder with any user's home folder as `~user`, as a shell writes another user's home: the
 * same text whoever writes it, for files that machines share (the index of a folder shared through
 * git), where `~` would stand for the home of whoever synced last.
 */
export function homeNamed(folder: string | null): string {
  if (!folder) return '-'
  const home = HOMES.exec(folder)
  return home ? `~${home[1]}${folder.slice(home[0].length)}` : folder
}

/** Where systems keep their users' homes (Linux, macOS, Windows), with the user's name. */
const HOMES = /^(?:\/home|\/Users|[A-Za-z]:\\Users)[/\\]([^/\\]+)(?=$|[/\\])/

/** `file`'s path inside `folder` ('' for the folder itself), whichever system's separator it uses; null outside it. */
export function pathInside(file: string, folder: string): string | null {
  if (file === folder) return ''
  for (const separator of ['/', '\\']) {
    const prefix = folder.endsWith(separator) ? folder : `${folder}${separator}`
    if (file.startsWith(prefix)) return file.slice(prefix.length)
  }

  return null
}
