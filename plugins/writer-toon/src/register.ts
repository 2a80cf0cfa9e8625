import {encodeLines} from '@toon-format/toon'
import type {Contribution, ExportDocument, Writer} from 'sessionsync'
import {tableFields, tableLines} from './tables.js'
import {wellFormed} from './well-formed.js'

/**
 * The same document as the JSON export, in TOON: decoding it gives back the JSON export. Its
 * message and block tables are where TOON saves tokens: field names once, then a line a row.
 */
export const toonWriter: Writer = {
  format: 'toon',
  extension: 'toon',
  displayName: 'TOON',
  render: (session, ctx) => `${[...documentLines(ctx.exportDocument(session))].join('\n')}\n`,
  // One line at a time, the same text as `render`.
  *renderPieces(session, ctx) {
    for (const line of documentLines(ctx.exportDocument(session))) yield `${line}\n`
  },
}

/**
 * The document's top-level tables are written by `tableLines`; the fields around them, in
 * order, by the TOON library. Each top-level field's lines stand alone, so this is the text
 * the library writes for the whole document.
 */
function* documentLines(document: ExportDocument): Iterable<string> {
  let others: [string, unknown][] = []
  for (const [key, value] of Object.entries(document)) {
    const fields = Array.isArray(value) ? tableFields(value) : null
    if (fields === null) {
      others.push([key, value])
      continue
    }

    yield* toonLines(Object.fromEntries(others))
    others = []
    yield* tableLines(key, value as Record<string, unknown>[], fields)
  }

  yield* toonLines(Object.fromEntries(others))
}

/**
 * The library refuses a string holding an unpaired surrogate (a tool output cut in the middle of
 * an emoji), which has no UTF-8 form: such a document is encoded again with U+FFFD in its place,
 * as the other formats' files hold it. The library checks every string before the first line, so
 * only such a document pays for the copy.
 */
function toonLines(document: unknown): Iterable<string> {
  try {
    return encodeLines(document)
  } catch (error) {
    if (!(error instanceof TypeError) || !/unpaired surrogate/.test(error.message)) throw error
    return encodeLines(wellFormed(document))
  }
}

export default async function register(): Promise<Contribution> {
  return {writers: [toonWriter]}
}
