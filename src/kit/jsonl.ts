import {createReadStream} from 'node:fs'
import {open} from 'node:fs/promises'
import {createInterface} from 'node:readline'

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
}

/**
 * Streams a JSON Lines file record by record, so memory stays flat on files of any size.
 * A corrupt line is reported and skipped; an unterminated last line is taken for one the
 * agent is still writing and skipped silently, to be read on the next run.
 */
export async function* readJsonLines(file: string, options: JsonLinesOptions = {}): AsyncGenerator<JsonLine> {
  const stream = createReadStream(file, {encoding: 'utf8'})
  const lines = createInterface({input: stream, crlfDelay: Number.POSITIVE_INFINITY})
  let lineNumber = 0
  let pending: {line: number; text: string} | undefined
  try {
    for await (const text of lines) {
      lineNumber++
      if (pending) {
        const parsed = parseLine(pending.text)
        if (parsed.ok) yield {line: pending.line, value: parsed.value}
        else options.onBadLine?.(pending.line, parsed.reason)
      }
      pending = text.trim() === '' ? undefined : {line: lineNumber, text}
      if (options.maxLines !== undefined && lineNumber >= options.maxLines) break
    }
  } finally {
    lines.close()
    stream.destroy()
  }

  // The last line is held back until the end so an unterminated one can be told apart.
  if (pending) {
    const parsed = parseLine(pending.text)
    if (parsed.ok) yield {line: pending.line, value: parsed.value}
    else if (options.maxLines === undefined && (await endsWithNewline(file))) options.onBadLine?.(pending.line, parsed.reason)
  }
}

function parseLine(text: string): {ok: true; value: unknown} | {ok: false; reason: string} {
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch (error) {
    return {ok: false, reason: (error as Error).message}
  }
}

async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const {size} = await handle.stat()
    if (size === 0) return false
    const buffer = Buffer.alloc(1)
    await handle.read(buffer, 0, 1, size - 1)
    return buffer[0] === 0x0a
  } finally {
    await handle.close()
  }
}
