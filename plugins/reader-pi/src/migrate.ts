import type {Json, PiEntry} from './format.js'
import {isRecord} from './format.js'

/** The session format version Pi 0.58–0.73 writes. */
export const CURRENT_VERSION = 3

/**
 * Brings the entries of a file to version 3 in memory, as Pi's own migration does on load
 * (Pi then rewrites the file; a reader never does). `lines` holds every parsed line after the
 * header, in file order. Pi also turns a v1 compaction's `firstKeptEntryIndex` into an id; that
 * only decides what Pi sends to the model, and a transcript keeps every entry, so it is not needed.
 */
export function migrate(version: number, lines: Array<{line: number; value: Json}>): PiEntry[] {
  const entries = withTreeFields(version, lines)
  if (version < 3) for (const entry of entries) renameHookMessage(entry)
  return entries
}

/**
 * v1 entries have no ids: each is the child of the line before it. Newer Pi repairs entries
 * that lack an id in later files the same way (a v1 writer appending to a v2 file). The ids made
 * here come from the line number, so the same file always yields the same ids.
 */
function withTreeFields(version: number, lines: Array<{line: number; value: Json}>): PiEntry[] {
  let previous: string | null = null
  return lines.map(({line, value}) => {
    const {id, parentId} = value
    const entry: PiEntry =
      version >= 2 && typeof id === 'string' && id !== ''
        ? {...value, id, line, parentId: typeof parentId === 'string' && parentId !== id ? parentId : null, type: value.type as string}
        : {...value, id: `line-${line}`, line, parentId: previous, type: value.type as string}
    previous = entry.id
    return entry
  })
}

/** v2 → v3: extension messages were role `hookMessage`, now `custom`. */
function renameHookMessage(entry: PiEntry): void {
  if (entry.type === 'message' && isRecord(entry.message) && entry.message.role === 'hookMessage') {
    entry.message = {...entry.message, role: 'custom'}
  }
}
