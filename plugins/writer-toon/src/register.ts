import {encode, encodeLines} from '@toon-format/toon'
import type {Contribution, Writer} from 'sessionsync'

/**
 * The same document as the JSON export, in TOON: decoding it gives back the JSON export. Its
 * message and block tables are where TOON saves tokens: field names once, then a line a row.
 */
export const toonWriter: Writer = {
  format: 'toon',
  extension: 'toon',
  displayName: 'TOON',
  render: (session, ctx) => encode(ctx.exportDocument(session)) + '\n',
  // One line at a time: TOON's own streaming encoder, the same text as `encode`.
  *renderPieces(session, ctx) {
    for (const line of encodeLines(ctx.exportDocument(session))) yield `${line}\n`
  },
}

export default async function register(): Promise<Contribution> {
  return {writers: [toonWriter]}
}
