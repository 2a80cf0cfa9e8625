import {encode, encodeLines} from '@toon-format/toon'
import type {Contribution, Writer} from 'sessionsync'

/** The same document as the JSON export, in TOON: decoding it gives back the JSON export. */
export const toonWriter: Writer = {
  format: 'toon',
  extension: 'toon',
  displayName: 'TOON',
  render: (session) => encode(session) + '\n',
  // One line at a time: TOON's own streaming encoder, the same text as `encode`.
  *renderPieces(session) {
    for (const line of encodeLines(session)) yield `${line}\n`
  },
}

export default async function register(): Promise<Contribution> {
  return {writers: [toonWriter]}
}
