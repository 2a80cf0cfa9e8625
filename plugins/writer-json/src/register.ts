import type {Contribution, Writer} from 'sessionsync'
import {jsonPieces} from './pieces.js'

/** The export document (the session with its messages and blocks as tables), pretty-printed. */
export const jsonWriter: Writer = {
  format: 'json',
  extension: 'json',
  displayName: 'JSON',
  render: (session, ctx) => JSON.stringify(ctx.exportDocument(session), null, 2) + '\n',
  renderPieces: (session, ctx) => jsonPieces(ctx.exportDocument(session)),
}

export default async function register(): Promise<Contribution> {
  return {writers: [jsonWriter]}
}
