import {closeSync, openSync, readSync} from 'node:fs'

/** The first `bytes` of a file as text, or null when there is nothing to read (no file, a folder, no access). */
export function fileStart(file: string, bytes: number): string | null {
  let descriptor: number
  try {
    descriptor = openSync(file, 'r')
  } catch {
    return null
  }

  try {
    const buffer = Buffer.alloc(bytes)
    return buffer.toString('utf8', 0, readSync(descriptor, buffer, 0, bytes, 0))
  } catch {
    return null
  } finally {
    closeSync(descriptor)
  }
}

/**
 * Whether a file found under a session's export name, where no state records one, is that
 * session's export (written before the state was lost): every format names the session's id near
 * its start. A user's file of that name does not, and is never written over.
 */
export function holdsExportOf(file: string, id: string): boolean {
  const start = fileStart(file, EXPORT_START_BYTES)
  return start !== null && (start.includes(id) || start.includes(JSON.stringify(id).slice(1, -1)))
}

/** Enough for the metadata that opens an export: its id comes in the first few lines. */
const EXPORT_START_BYTES = 4096
