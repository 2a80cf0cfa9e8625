import type {Session} from 'sessionsync'

/**
 * `JSON.stringify(session, null, 2)` one message at a time, byte for byte: the messages are
 * nearly all of a session, and a long one need not become a single string to be written.
 */
export function* jsonPieces(session: Session): Generator<string> {
  // As JSON.stringify does, keys without a value are left out.
  const entries = Object.entries(session).filter(([, value]) => value !== undefined)
  yield '{'
  for (const [index, [key, value]] of entries.entries()) {
    const separator = index < entries.length - 1 ? ',' : ''
    if (key === 'messages' && Array.isArray(value) && value.length > 0) {
      yield `\n  ${JSON.stringify(key)}: [`
      for (const [position, message] of value.entries()) {
        yield `\n    ${JSON.stringify(message, null, 2).replaceAll('\n', '\n    ')}${position < value.length - 1 ? ',' : ''}`
      }

      yield `\n  ]${separator}`
    } else {
      yield `\n  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${separator}`
    }
  }

  yield '\n}\n'
}
