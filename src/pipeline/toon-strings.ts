import {randomBytes} from 'node:crypto'
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)

/** The TOON library, loaded on first need: only a run that reads a TOON export back decodes any. */
export const toonLibrary = () => require('@toon-format/toon') as typeof import('@toon-format/toon')

/** Quoted strings from this length on are unescaped by `JSON.parse` rather than by the library. */
const LONG_FROM_CHARS = 256
/**
 * Where `JSON.parse` and the library part ways: a raw control character (the library reads it,
 * JSON refuses it), an escape TOON lacks (`\/`, `\b`: JSON reads it, the library refuses it), a
 * surrogate written as a `\u` escape (likewise). A string holding one stays the library's.
 */
const NOT_AS_JSON = /[\u0000-\u001F]|\\(?:[^"\\nrtu]|u(?![\dA-Fa-f]{4})|u[Dd][89A-Fa-f])/
const BACKSLASH = 0x5c

/**
 * The long quoted strings of TOON lines, set aside while the library decodes the lines. The
 * library builds each string it unescapes a character at a time: a 21 MB export took it 4.5 s and
 * 766 MB, 3 s of it collecting the garbage. TOON's escapes (`\\ \" \n \r \t \uXXXX`) are JSON's, so
 * `JSON.parse` reads such a string as the library does, natively; the writer writes them with
 * `JSON.stringify` for the same reason.
 */
export class LongStrings {
  /** Starts each stand-in: no string of a document holds it, as it is made anew for each decode. */
  private readonly mark = `sessionsync-${randomBytes(12).toString('hex')}#`
  private readonly quoted: Array<string | undefined> = []
  private restoredCount = 0

  /** The line with each long quoted string in it replaced by a short one that stands in for it. */
  shorten(line: string): string {
    let shortened = ''
    let copied = 0
    for (let open = line.indexOf('"'); open !== -1; ) {
      const close = closingQuote(line, open)
      if (close === -1) break
      if (close - open > LONG_FROM_CHARS && !NOT_AS_JSON.test(line.slice(open, close + 1))) {
        shortened += `${line.slice(copied, open)}"${this.mark}${this.quoted.length}"`
        this.quoted.push(line.slice(open, close + 1))
        copied = close + 1
      }

      open = line.indexOf('"', close + 1)
    }

    return copied === 0 ? line : shortened + line.slice(copied)
  }

  /** Each line, shortened. */
  *shortened(lines: Iterable<string>): Generator<string> {
    for (const line of lines) yield this.shorten(line)
  }

  /** The string a decoded one stands in for, unescaped now (or only counted, when it is `dropped`); any other as it is. */
  restored(value: string, dropped = false): string {
    if (!value.startsWith(this.mark)) return value
    const index = Number(value.slice(this.mark.length))
    const quoted = this.quoted[index]!
    // Let go of at once: it keeps the line it was cut from, and a file's lines would add up.
    this.quoted[index] = undefined
    this.restoredCount++
    return dropped ? '' : (JSON.parse(quoted) as string)
  }

  /** Every string set aside was restored, once: the library read each stand-in as a whole string. */
  get allRestored(): boolean {
    return this.restoredCount === this.quoted.length
  }
}

/** Where a quoted string that opens at `open` closes: the next quote not escaped by a backslash; -1 if none. */
function closingQuote(line: string, open: number): number {
  for (let close = line.indexOf('"', open + 1); close !== -1; close = line.indexOf('"', close + 1)) {
    let backslashes = 0
    while (line.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return close
  }

  return -1
}

/**
 * What `decode` makes of a document with its long strings set aside, or, where the library did
 * not read each stand-in once, as a whole string (a long quoted key, quotes where TOON's encoder
 * writes none), what it makes of it without (null). A text the library cannot decode it cannot
 * decode with stand-ins either: each replaces a quoted string with another.
 */
export function withStandIns<T>(decode: (strings: LongStrings | null) => T): T {
  const strings = new LongStrings()
  const value = decode(strings)
  return strings.allRestored ? value : decode(null)
}
