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
 * The document's top-level tables are written by `tableLines`, its other fields by the TOON
 * library, each on its own: a top-level field's lines do not depend on its neighbours in the
 * whole document, but a group of them could (two maps alone make a keyed table). The library
 * refuses a string holding an unpaired surrogate (a tool output cut in the middle of an emoji),
 * which has no UTF-8 form: those fields (the metadata around the tables, a few lines) are handed
 * to it with U+FFFD in its place, as the tables' cells and the other formats' files hold it.
 */
function* documentLines(document: ExportDocument): Iterable<string> {
  for (const [key, value] of Object.entries(document)) {
    const fields = Array.isArray(value) ? tableFields(value) : null
    yield* fields ? tableLines(key, value as Record<string, unknown>[], fields) : encodeLines(wellFormed({[key]: value}))
  }
}

export default async function register(): Promise<Contribution> {
  return {writers: [toonWriter]}
}
