import type {Contribution, Writer} from 'sessionsync'
import {jsonPieces} from './pieces.js'

/** The normalized model as it is (the core has validated it against the schema), pretty-printed. */
export const jsonWriter: Writer = {
  format: 'json',
  extension: 'json',
  displayName: 'JSON',
  render: (session) => JSON.stringify(session, null, 2) + '\n',
  renderPieces: jsonPieces,
}

export default async function register(): Promise<Contribution> {
  return {writers: [jsonWriter]}
}
