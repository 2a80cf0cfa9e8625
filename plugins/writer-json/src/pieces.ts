import type {ExportDocument} from 'sessionsync'

/** Rows are stringified a few at a time, up to about this many characters of text together. */
const CHARACTERS_PER_PIECE = 256 * 1024

/**
 * `JSON.stringify(document, null, 2)` a few array rows at a time, byte for byte: the message and
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
      for (const [position, rows] of batches(value).entries()) {
        if (position > 0) yield ','
        yield rowsText(key, rows)
      }

      yield `\n  ]${separator}`
    } else {
      yield `\n  ${JSON.stringify(key)}: ${JSON.stringify(value, null, 2).replaceAll('\n', '\n  ')}${separator}`
    }
  }

  yield '\n}\n'
}

/**
 * Rows as the whole document's JSON.stringify writes them, indentation included: stringified
 * inside their table's own opening and closing, which are cut off again. The cut is a slice, not
 * a copy, and no second pass over each row re-indents it.
 */
function rowsText(key: string, rows: unknown[]): string {
  const text = JSON.stringify({[key]: rows}, null, 2)
  return text.slice(`{\n  ${JSON.stringify(key)}: [`.length, -'\n  ]\n}'.length)
}

/** Consecutive rows holding about CHARACTERS_PER_PIECE characters of text together, at least one. */
function batches(rows: unknown[]): unknown[][] {
  const batches: unknown[][] = []
  let batch: unknown[] = []
  let size = 0
  for (const row of rows) {
    const length = textLength(row)
    if (batch.length > 0 && size + length > CHARACTERS_PER_PIECE) {
      batches.push(batch)
      batch = []
      size = 0
    }

    batch.push(row)
    size += length
  }

  if (batch.length > 0) batches.push(batch)
  return batches
}

/** About the length of a row's JSON: its texts, and a little for the rest. */
function textLength(row: unknown): number {
  let length = 64
  if (typeof row !== 'object' || row === null) return length
  const cells = row as Record<string, unknown>
  // for...in, not Object.values, which would make an array for each row.
  for (const field in cells) {
    const value = cells[field]
    if (typeof value === 'string') length += value.length
  }

  return length
}
