import {fileStart} from './file-start.js'
import {toonLibrary} from './toon-strings.js'

/**
 * How much of an export is read for what opens it (a Markdown export's front matter, a JSON or
 * TOON document's metadata): most fit in the first, and even a session that changed a thousand
 * files in the second.
 */
const EXPORT_HEADS = [16 * 1024, 256 * 1024]

/**
 * What `find` finds in the start of an export, read first in a small piece, then in a larger one;
 * undefined when it finds nothing in either, or the file cannot be read.
 */
export function foundAtStart<T>(file: string, find: (start: string) => T | undefined): T | undefined {
  for (const bytes of EXPORT_HEADS) {
    const start = fileStart(file, bytes)
    if (start === null) return undefined
    const found = find(start)
    if (found !== undefined) return found
  }

  return undefined
}

/**
 * Where the tables of a document begin, as each format lays it out: a top-level key is the only
 * place a line can start so (strings hold their line breaks escaped), and `messages` is the first
 * table.
 */
const TABLES_START: ReadonlyMap<string, {decode: (head: string) => unknown; marker: string}> = new Map([
  // `JSON.stringify(document, null, 2)`: the head's members, closed where the messages member would begin.
  ['json', {decode: (head: string) => JSON.parse(`${head.slice(0, head.lastIndexOf(','))}\n}`), marker: '\n  "messages": '}],
  ['toon', {decode: (head: string) => toonLibrary().decode(head), marker: '\nmessages['}],
])

/**
 * What a JSON or TOON export's document holds before its tables, decoded, read from the file's
 * start alone; null when no head of the format is found there (not such a document, or a head
 * longer than the reads) or it does not decode.
 */
export function documentHead(format: string, file: string): unknown {
  const layout = TABLES_START.get(format)
  if (!layout) return null
  const head = foundAtStart(file, (start) => {
    const end = start.indexOf(layout.marker)
    return end >= 0 ? start.slice(0, end + 1) : undefined
  })
  return head === undefined ? null : decoded(() => layout.decode(head))
}

function decoded(decode: () => unknown): unknown {
  try {
    return decode()
  } catch {
    return null
  }
}

const VERSION_FIRST = /^\{?\s*"?schemaVersion"?: (\d+)/
const VERSION_BYTES = 64

/**
 * The version a JSON or TOON document gives first, as every version of it has (`"schemaVersion": 5`,
 * `schemaVersion: 5`); null when the file does not begin so, or cannot be read.
 */
export function documentVersion(file: string): number | null {
  const found = VERSION_FIRST.exec(fileStart(file, VERSION_BYTES) ?? '')
  return found ? Number(found[1]) : null
}
