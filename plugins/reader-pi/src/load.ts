import type {ReaderContext} from 'sessionsync'
import type {Json, PiEntry, PiHeader} from './format.js'
import {isHeader, isRecord} from './format.js'
import {CURRENT_VERSION, migrate} from './migrate.js'

export interface PiFile {
  header: PiHeader
  /** Every entry after the header, in file order, migrated to the current version. */
  entries: PiEntry[]
}

export interface PiHead {
  header: PiHeader
  /** The lines after the header, up to the number asked for. */
  entries: Json[]
}

/**
 * The first lines of a file (discovery reads no more), or null with a warning when the file is
 * not a Pi session. Corrupt lines are left for read() to report.
 */
export async function readHead(file: string, maxLines: number, ctx: ReaderContext): Promise<PiHead | null> {
  let head: PiHead | null = null
  for await (const {value} of ctx.kit.readJsonLines(file, {maxLines})) {
    if (head) {
      if (isRecord(value)) head.entries.push(value)
    } else if (isHeader(value)) {
      head = {entries: [], header: value}
    } else {
      break
    }
  }

  if (!head) ctx.warn(`${file}: skipped, line 1 is not a Pi session header`)
  return head
}

/**
 * Streams a whole session file into memory. Corrupt lines are reported and skipped (Pi skips
 * them too); a file without a header is not a session and yields null.
 */
export async function loadSessionFile(file: string, ctx: ReaderContext): Promise<PiFile | null> {
  let header: PiHeader | null = null
  const lines: Array<{line: number; value: Json}> = []
  // A corrupt first line is reported once, as a missing header, below.
  const onBadLine = (line: number, reason: string) => {
    if (header !== null) ctx.warn(`${file}:${line}: skipped a corrupt line (${reason})`)
  }
  for await (const {line, value} of ctx.kit.readJsonLines(file, {onBadLine})) {
    if (header === null) {
      if (!isHeader(value)) break
      header = value
    } else if (isRecord(value) && typeof value.type === 'string') {
      lines.push({line, value})
    } else {
      ctx.warn(`${file}:${line}: skipped a line that is not a Pi entry`)
    }
  }

  if (header === null) {
    ctx.warn(`${file}: skipped, line 1 is not a Pi session header`)
    return null
  }

  const version = typeof header.version === 'number' ? header.version : 1
  if (version > CURRENT_VERSION) ctx.debug(`${file}: format version ${version} is newer than ${CURRENT_VERSION}; reading it as ${CURRENT_VERSION}`)
  return {entries: migrate(version, lines), header}
}
