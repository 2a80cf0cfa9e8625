import type {ExportDocument} from 'sessionsync'

/**
 * `JSON.stringify(document, null, 2)` one array row at a time, byte for byte: the message and
 * block tables are nearly all of a session, and a long one need not become a single string.
 */
export function* jsonPieces(document: ExportDocument): Generator<string> {
  // As JSON.stringify does, keys without a value are left out.
  const entries = Object.entries(document).filter(([, value]) => value !== undefined)
  yield '{'
  for (const [index, [key, value]] of entries.entries()) {
    const separator = index < entries.length - 1 ? ',' : ''
    if (Array.isArray(value) && value.length > 0) {
      yield `\n  ${JSON.stringify(key)}: [`
      for (const [position, row] of value.entries()) {
        yield `\n    ${JSON.stringify(row, null, 2).replaceAll('\n', '\n    ')}${position < value.length - 1 ? ',' : ''}`
      }

      yield `\n  ]${separator}`
    } else {
      yield `\n  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${separator}`
    }
  }

  yield '\n}\n'
}
