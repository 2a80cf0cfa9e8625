import type {ReaderContext} from 'sessionsync'
import type {Json, PiEntry, PiHeader} from './format.js'
import {isHeader, isRecord} from './format.js'
import {CURRENT_VERSION, migrate} from './migrate.js'

export interface PiFile {
  header: PiHeader
  /** The entries after the header, in file order, migrated to the current version. */
  entries: PiEntry[]
}

export interface LoadOptions {
  /** Read only the first lines (discovery reads no more). */
  maxLines?: number
  /** Warn about corrupt lines: read() does; discovery leaves that to read(), so each is told once. */
  reportLines?: boolean
}

/**
 * Streams a session file into memory. Corrupt lines are skipped, as Pi skips them; a file
 * without a header is not a session: one warning, and null.
 */
export async function loadSessionFile(file: string, ctx: ReaderContext, {maxLines, reportLines = true}: LoadOptions = {}): Promise<PiFile | null> {
  let header: PiHeader | null = null
  const lines: Array<{line: number; value: Json}> = []
  // A corrupt first line is reported once, as a missing header, below.
  const onBadLine = (line: number, reason: string) => {
    if (header !== null && reportLines) ctx.warn(`${file}:${line}: skipped a corrupt line (${reason})`)
  }

  for await (const {line, value} of ctx.kit.readJsonLines(file, {maxLines, onBadLine})) {
    if (header === null) {
      if (!isHeader(value)) break
      header = value
    } else if (isRecord(value) && typeof value.type === 'string') {
      lines.push({line, value})
    } else if (reportLines) {
      ctx.warn(`${file}:${line}: skipped a line that is not a Pi entry`)
    }
  }

  if (header === null) {
    ctx.warn(`${file}: skipped, line 1 is not a Pi session header`)
    return null
  }

  const version = typeof header.version === 'number' ? header.version : 1
  if (version > CURRENT_VERSION && reportLines) ctx.debug(`${file}: format version ${version} is newer than ${CURRENT_VERSION}; read as ${CURRENT_VERSION}`)
  return {entries: migrate(version, lines), header}
}
