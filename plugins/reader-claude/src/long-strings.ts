const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a
const COMMA = 0x2c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d])
/** Longer keys are never among those whose values are kept. */
const KEY_BYTES = 64

/** Where a JSON value ends in a line's bytes, and the long strings in it, as [start, end) pairs of byte offsets, quotes included. */
export interface LongStrings {
  end: number
  ranges: number[]
}

/**
 * Walks the JSON value that starts at `start` without decoding it: a string is skipped with one
 * native search for each quote in it, so a long one costs next to nothing. Finds the strings in it
 * of at least `minBytes`, except the values of the keys in `kept`. Null when the bytes end
 * first or do not nest: the value is not well formed, and the caller parses the line as it is.
 */
export function longStringsOf(bytes: Buffer, start: number, minBytes: number, kept: ReadonlySet<string>): LongStrings | null {
  const ranges: number[] = []
  let depth = 0
  let key: string | null = null
  for (let at = start; at < bytes.length; ) {
    const byte = bytes[at]
    if (byte === QUOTE) {
      const end = stringEnd(bytes, at)
      if (end === -1) return null
      if (bytes[nextToken(bytes, end)] === COLON) key = end - at <= KEY_BYTES ? bytes.toString('utf8', at + 1, end - 1) : null
      else if (end - at - 2 >= minBytes && (key === null || !kept.has(key))) ranges.push(at, end)
      if (depth === 0) return {end, ranges}
      at = end
      continue
    }

    // A number, true, false or null at the top ends before what follows it.
    const closing = byte === CLOSE_BRACE || byte === CLOSE_BRACKET
    if (depth === 0 && (byte === COMMA || closing)) return {end: at, ranges}
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++
    else if (closing && --depth === 0) return {end: at + 1, ranges}
    at++
  }

  return null
}

/** Just past the string whose opening quote is at `start`; -1 when the bytes end first. */
function stringEnd(bytes: Buffer, start: number): number {
  for (let from = start + 1; ; ) {
    const quote = bytes.indexOf(QUOTE, from)
    if (quote === -1) return -1
    let backslashes = 0
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++
    // An even run of backslashes escapes itself, not the quote.
    if (backslashes % 2 === 0) return quote + 1
    from = quote + 1
  }
}

function nextToken(bytes: Buffer, from: number): number {
  let at = from
  while (WHITESPACE.has(bytes[at])) at++
  return at
}
