/**
 * The state, the index and the discovery caches are rewritten whole after every export, so a
 * watch on a history of thousands of sessions re-encoded megabytes for the one session that
 * changed (and `JSON.stringify` builds a rope V8 copies whole before encoding it). Their
 * members are replaced when they change, never changed in place, so each member's JSON text is
 * made once and kept with it (in a watch: see `RewriteCache`); the file is written as those pieces.
 */
import {byCodeUnits} from '../unchanged-run/stamp.js'
import {keptIn} from './kept.js'
import {RewriteCache} from './rewrite-cache.js'

const compact = new RewriteCache<object, string>()
/** By indentation: the same object may be written at several depths. */
const indented = new Map<string, RewriteCache<object, string>>()

/** `JSON.stringify(value)` as one piece, made once per object. */
export function keptJson(value: object): [string] {
  return [keptIn(compact, value, () => JSON.stringify(value))]
}

/** `JSON.stringify(members)` as pieces, each member's from `piecesOf`. */
export function jsonObjectPieces<T>(members: Record<string, T>, piecesOf: (value: T) => Iterable<string>): Generator<string> {
  return memberPieces(Object.entries(members), piecesOf, '')
}

/**
 * A JSON object of `members` as pieces, each member on a line of its own, in the order of their
 * keys: git merges two changes of the file line by line, so members added on either side merge
 * cleanly unless they are neighbours.
 */
export function jsonObjectLinePieces<T>(members: Record<string, T>, piecesOf: (value: T) => Iterable<string>): Generator<string> {
  return memberPieces(Object.entries(members).sort(([a], [b]) => byCodeUnits(a, b)), piecesOf, '\n')
}

function* memberPieces<T>(members: Array<[string, T]>, piecesOf: (value: T) => Iterable<string>, lineBreak: string): Generator<string> {
  if (members.length === 0) {
    yield '{}'
    return
  }

  let separator = `{${lineBreak}`
  for (const [key, value] of members) {
    yield `${separator}${JSON.stringify(key)}:`
    yield* piecesOf(value)
    separator = `,${lineBreak}`
  }

  yield `${lineBreak}}`
}

/** `JSON.stringify(items, null, 2)` as pieces, each line indented by `depth` levels more. */
export function* indentedArrayPieces(items: readonly object[], depth: number): Generator<string> {
  if (items.length === 0) {
    yield '[]'
    return
  }

  const inner = '  '.repeat(depth + 1)
  let separator = '[\n'
  for (const item of items) {
    yield separator
    yield indentedJsonOf(item, inner)
    separator = ',\n'
  }

  yield `\n${'  '.repeat(depth)}]`
}

/** `JSON.stringify(value, null, 2)` with every line indented by `inner`, made once per object and indentation. */
function indentedJsonOf(value: object, inner: string): string {
  const texts = keptIn(indented, inner, () => new RewriteCache<object, string>())
  // A line break inside a string is escaped by JSON, so every raw one starts a line of structure.
  return keptIn(texts, value, () => inner + JSON.stringify(value, null, 2).replaceAll('\n', `\n${inner}`))
}
