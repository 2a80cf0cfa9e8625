import {constants, isUtf8} from 'node:buffer'
import {closeSync, openSync, readSync} from 'node:fs'
import {formatBytes} from '../table.js'
import {BufferPool} from './buffer-pool.js'

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number
  value: unknown
}

export interface JsonLinesOptions {
  /** Called for a line that is not valid JSON, except a last line still being written. */
  onBadLine?: (line: number, reason: string) => void
  /** Stop after this many lines (discovery reads only the head of a file). */
  maxLines?: number
  /** Only lines whose raw text passes are parsed: a cheap test spares parsing lines that cannot matter. */
  keep?: (text: string) => boolean
  /**
   * Lines this test passes over are neither decoded nor parsed (nor given to `keep`): a look at a
   * line's raw bytes (its first few, or a native search for a word) costs far less than decoding it.
   */
  passOver?: (bytes: Buffer) => boolean
  /**
   * What a line holds, read from its raw bytes alone, in place of decoding and parsing it whole
   * (undefined: it is parsed): the few fields needed of a large record, for instance. Not tried
   * on an unterminated last line.
   */
  skim?: (bytes: Buffer) => unknown
  /** Lines longer than this are reported and passed over unread; by default, what Node can hold as one string. */
  maxLineBytes?: number
}

/**
 * Streams a JSON Lines file record by record, so memory stays flat on files of any size.
 * A corrupt line is reported and skipped; an unterminated last line is taken for one the
 * agent is still writing and skipped silently, to be read on the next run.
 */
export async function* readJsonLines(file: string, options: JsonLinesOptions = {}): AsyncGenerator<JsonLine> {
  let lineNumber = 0
  let pending: Pending | undefined
  for (const text of lines(file, options)) {
    lineNumber++
    if (pending) {
      const parsed = readPending(pending)
      if (parsed.ok) yield {line: pending.line, value: parsed.value}
      else options.onBadLine?.(pending.line, parsed.reason)
    }

    if (text === NOT_UTF8) {
      options.onBadLine?.(lineNumber, 'not valid UTF-8 text')
      pending = undefined
    } else if (text instanceof TooLong) {
      options.onBadLine?.(lineNumber, `${formatBytes(text.bytes)} in one line, more than can be read as one string`)
      pending = undefined
    } else if (text instanceof Skimmed) {
      pending = {complete: true, line: lineNumber, skimmed: text}
    } else {
      const content = text instanceof Unterminated ? text.content : text
      pending = content === PASSED_OVER || content.trim() === '' || (options.keep && !options.keep(content)) ? undefined : {complete: !(text instanceof Unterminated), line: lineNumber, text: content}
    }

    if (options.maxLines !== undefined && lineNumber >= options.maxLines) break
  }

  // The last line is held back until the end: one the read found unterminated is being written.
  if (pending) {
    const parsed = readPending(pending)
    if (parsed.ok) yield {line: pending.line, value: parsed.value}
    else if (options.maxLines === undefined && pending.complete) options.onBadLine?.(pending.line, parsed.reason)
  }
}

const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d
/** Large reads: session files are big, and each read is a round trip to the thread pool. */
const CHUNK_BYTES = 1024 * 1024
/** Chunks of files read to the end, for the next files: most session files are smaller than one. */
const chunks = new BufferPool(() => Buffer.allocUnsafe(CHUNK_BYTES), 8)

/**
 * The lines of a file, decoded one whole line at a time (so a character split between two
 * reads is never mangled) and without readline's per-character work: a line is found with
 * one native `indexOf` and decoded straight from the buffer. Reads are synchronous: a read of
 * a megabyte costs less than a stream's round trip through the thread pool, and memory stays
 * one chunk plus the line being carried over. A plain generator for the same reason: an
 * asynchronous one cost a promise per line, most of a search through a file (`passOver`).
 */
function* lines(file: string, {maxLineBytes = constants.MAX_STRING_LENGTH, passOver, skim}: JsonLinesOptions): Generator<string | typeof NOT_UTF8 | typeof PASSED_OVER | Skimmed | TooLong | Unterminated> {
  const descriptor = openSync(file, 'r')
  const chunk = chunks.take()
  // The start of a line that continues in the next read, copied out of the chunk the read reuses;
  // kept as pieces so that a line of many MB is copied once more, not once per read.
  let carried: Buffer[] = []
  let carriedBytes = 0
  try {
    for (;;) {
      const length = readSync(descriptor, chunk, 0, CHUNK_BYTES, null)
      if (length === 0) break
      const filled = chunk.subarray(0, length)
      let start = 0
      for (let end = filled.indexOf(NEWLINE); end !== -1; end = filled.indexOf(NEWLINE, start)) {
        const bytes = carriedBytes + end - start
        if (bytes > maxLineBytes) yield new TooLong(bytes)
        else {
          const line = carried.length > 0 ? Buffer.concat([...carried, filled.subarray(start, end)]) : filled.subarray(start, end)
          yield passOver?.(line) ? PASSED_OVER : (skimmedLine(line, skim) ?? decodeLine(line))
        }

        carried = []
        carriedBytes = 0
        start = end + 1
      }

      if (start < length) {
        carriedBytes += length - start
        // A line too long to read is only counted, so memory stays flat through it.
        if (carriedBytes <= maxLineBytes) carried.push(Buffer.from(filled.subarray(start)))
        else carried = []
      }
    }

    // Unterminated: possibly cut inside a character by a write under way, so not judged as UTF-8.
    if (carriedBytes > maxLineBytes) yield new TooLong(carriedBytes)
    else if (carried.length > 0) {
      const line = Buffer.concat(carried)
      yield new Unterminated(passOver?.(line) ? PASSED_OVER : lineText(line))
    }
  } finally {
    closeSync(descriptor)
    chunks.give(chunk)
  }
}

/** Stands for a line that is not UTF-8: decoding would silently replace its bytes. */
const NOT_UTF8 = Symbol('not UTF-8')
/** Stands for a line `passOver` passed over, left undecoded. */
const PASSED_OVER = Symbol('passed over')

/** Stands for a line too long to read, of this many bytes. */
class TooLong {
  constructor(readonly bytes: number) {}
}

/** The last line of a file, which the read found without its line break: one being written. */
class Unterminated {
  constructor(readonly content: string | typeof PASSED_OVER) {}
}

/** What `skim` read of a line, in place of its text. */
class Skimmed {
  constructor(readonly value: unknown) {}
}

function skimmedLine(line: Buffer, skim: JsonLinesOptions['skim']): Skimmed | undefined {
  const value = skim?.(line)
  return value === undefined ? undefined : new Skimmed(value)
}

function decodeLine(line: Buffer): string | typeof NOT_UTF8 {
  return isUtf8(line) ? lineText(line) : NOT_UTF8
}

/** A line's text, without the carriage return of a Windows line break. */
function lineText(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length
  return line.toString('utf8', 0, end)
}

/** A line held back one step (see `readJsonLines`): its text, or what `skim` read of it, and whether the line ended. */
type Pending = {line: number; complete: boolean} & ({text: string} | {skimmed: Skimmed})

function readPending(pending: Pending): {ok: true; value: unknown} | {ok: false; reason: string} {
  return 'skimmed' in pending ? {ok: true, value: pending.skimmed.value} : parseLine(pending.text)
}

function parseLine(text: string): {ok: true; value: unknown} | {ok: false; reason: string} {
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch (error) {
    return {ok: false, reason: (error as Error).message}
  }
}
