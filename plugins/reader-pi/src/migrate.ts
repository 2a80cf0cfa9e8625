import type {Json, PiEntry} from './format.js'
import {isRecord} from './format.js'

/** The session format version Pi 0.58–0.73 writes. */
export const CURRENT_VERSION = 3

/**
 * Brings the entries of an older file to version 3 in memory, as Pi's own
 * `migrateToCurrentVersion` does on load (Pi then rewrites the file; a reader never does).
 * `lines` holds every parsed line after the header, in file order.
 */
export function migrate(version: number, lines: Array<{line: number; value: Json}>): PiEntry[] {
  const entries = version < 2 ? chainV1(lines) : lines.map(({line, value}) => ({...value, line}) as PiEntry)
  if (version < 3) for (const entry of entries) renameHookMessage(entry)
  return entries
}

/**
 * v1 files have no ids: each entry is the child of the line before it. Ids are derived from the
 * line number so that the same file always yields the same ids. A compaction pointed at the entry
 * it kept by its index in the file's entry list, the header being index 0.
 */
function chainV1(lines: Array<{line: number; value: Json}>): PiEntry[] {
  let parentId: string | null = null
  const entries = lines.map(({line, value}) => {
    const entry = {...value, id: `line-${line}`, line, parentId} as PiEntry
    parentId = entry.id
    return entry
  })
  for (const entry of entries) {
    if (entry.type !== 'compaction' || typeof entry.firstKeptEntryIndex !== 'number') continue
    const kept = entries[entry.firstKeptEntryIndex - 1]
    if (kept) entry.firstKeptEntryId = kept.id
    delete entry.firstKeptEntryIndex
  }

  return entries
}

/** v2 → v3: extension messages were role `hookMessage`, now `custom`. */
function renameHookMessage(entry: PiEntry): void {
  if (entry.type === 'message' && isRecord(entry.message) && entry.message.role === 'hookMessage') {
    entry.message = {...entry.message, role: 'custom'}
  }
}
