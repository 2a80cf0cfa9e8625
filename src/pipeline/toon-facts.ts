import {closeSync, openSync, readSync} from 'node:fs'
import {StringDecoder} from 'node:string_decoder'
import type {JsonStreamEvent} from '@toon-format/toon'
import {LongStrings, toonLibrary, withStandIns} from './toon-strings.js'

/**
 * The export document of a TOON export, for its facts: decoded line by line, its long strings set
 * aside (see `LongStrings`), without the texts of blocks that no fact is read from (calls'
 * inputs, what tools returned, thinking). Of the blocks' texts, only those of the person's
 * messages are kept, where the first prompt is. The library's decode of a whole 21 MB export took
 * 4.5 s and 766 MB of memory; this, 0.5–0.8 s and 135 MB.
 */
export function toonDocumentForFacts(file: string): unknown {
  return withStandIns((strings) => factsDocument(file, strings))
}

/** The document, its long strings set aside in `strings` while the lines are decoded, when given. */
export function factsDocument(file: string, strings: LongStrings | null): unknown {
  const document = new FactsDocument(strings ?? new LongStrings())
  for (const event of toonLibrary().decodeStreamSync(strings ? shortened(textLines(file), strings) : textLines(file))) document.add(event)
  return document.value
}

function* shortened(lines: Iterable<string>, strings: LongStrings): Generator<string> {
  for (const line of lines) yield strings.shorten(line)
}

const CHUNK_BYTES = 1024 * 1024

/**
 * The lines of a text file (the decoder drops the `\r` of a Windows line break), read a megabyte
 * at a time: memory holds a chunk and the line under way. Synchronous, as the decoder is: a
 * promise per line, through a stream and `readline`, was a third of the time.
 */
function* textLines(file: string): Generator<string> {
  const descriptor = openSync(file, 'r')
  const decoder = new StringDecoder('utf8')
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  let carried = ''
  try {
    for (let length = readSync(descriptor, chunk); length > 0; length = readSync(descriptor, chunk)) {
      const text = decoder.write(chunk.subarray(0, length))
      // Split only where a line ends: a long line is joined once, not again with each chunk.
      if (!text.includes('\n')) {
        carried += text
        continue
      }

      const lines = (carried + text).split('\n')
      carried = lines.pop()!
      yield* lines
    }

    yield carried + decoder.end()
  } finally {
    closeSync(descriptor)
  }
}

type Container = unknown[] | Record<string, unknown>

/** Builds a JSON value from the decoder's events, leaving out the block texts `toonDocumentForFacts` says. */
class FactsDocument {
  value: unknown
  /** The containers being built, outermost first, each with the key it goes under in its parent. */
  private readonly open: Array<{container: Container; key: string | undefined}> = []
  private key: string | undefined
  /** Each message's role, in order: a block's row names its message by index. */
  private readonly roles: unknown[] = []

  constructor(private readonly strings: LongStrings) {}

  add(event: JsonStreamEvent): void {
    if (event.type === 'key') this.key = this.strings.restored(event.key)
    else if (event.type === 'startObject' || event.type === 'startArray') {
      const container: Container = event.type === 'startObject' ? {} : []
      this.put(container)
      this.open.push({container, key: this.key})
    } else if (event.type === 'endObject' || event.type === 'endArray') this.open.pop()
    else this.put(this.kept(event.value))
  }

  private put(value: unknown): void {
    const parent = this.open.at(-1)?.container
    if (parent === undefined) this.value = value
    else if (Array.isArray(parent)) parent.push(value)
    // Defined, not assigned: a `__proto__` key of a file stays a field, as the library keeps it.
    else if (this.key === '__proto__') Object.defineProperty(parent, this.key, {configurable: true, enumerable: true, value, writable: true})
    else parent[this.key!] = value
  }

  /** A primitive as kept, a stand-in's string restored: a row of `messages` tells its role; a row of `blocks` loses the texts no fact needs. */
  private kept(value: unknown): unknown {
    const leftOut = this.leftOut(value)
    const kept = typeof value === 'string' ? this.strings.restored(value, leftOut !== undefined) : value
    if (this.open.length === 3 && this.open[1].key === 'messages' && this.key === 'role') this.roles.push(kept)
    return leftOut ?? kept
  }

  /** What a block's text or input no fact is read from is kept as; undefined for any other value. */
  private leftOut(value: unknown): string | undefined {
    const [, table, row] = this.open
    if (this.open.length !== 3 || table.key !== 'blocks' || typeof value !== 'string') return undefined
    const {message} = row.container as Record<string, unknown>
    if (this.key === 'text') return typeof message === 'number' && this.roles[message] === 'user' ? undefined : ''
    return this.key === 'input' ? '{}' : undefined
  }
}
