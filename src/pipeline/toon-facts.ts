import {createReadStream} from 'node:fs'
import {createRequire} from 'node:module'
import {createInterface} from 'node:readline'
import type {JsonStreamEvent} from '@toon-format/toon'

// Loaded on first need: only a sync that finds TOON exports its state does not name reads any back.
const require = createRequire(import.meta.url)

/**
 * The export document of a TOON export, for its facts: decoded line by line, without the texts
 * of blocks that no fact is read from (calls' inputs, what tools returned, thinking). Of the
 * blocks' texts, only those of the person's messages are kept, where the first prompt is. The
 * library's decode of a whole 21 MB export took 730 MB of memory; this, 110 MB.
 */
export async function toonDocumentForFacts(file: string): Promise<unknown> {
  const {decodeStream} = require('@toon-format/toon') as typeof import('@toon-format/toon')
  const lines = createInterface({crlfDelay: Number.POSITIVE_INFINITY, input: createReadStream(file, 'utf8')})
  const document = new FactsDocument()
  for await (const event of decodeStream(lines)) document.add(event)
  return document.value
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

  add(event: JsonStreamEvent): void {
    if (event.type === 'key') this.key = event.key
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
    else parent[this.key!] = value
  }

  /** A primitive as kept: a row of `messages` tells its role; a row of `blocks` loses the texts no fact needs. */
  private kept(value: unknown): unknown {
    const [, table, row] = this.open
    if (this.open.length !== 3) return value
    if (table.key === 'messages' && this.key === 'role') this.roles.push(value)
    if (table.key !== 'blocks' || typeof value !== 'string') return value
    const {message} = row.container as Record<string, unknown>
    if (this.key === 'text') return typeof message === 'number' && this.roles[message] === 'user' ? value : ''
    return this.key === 'input' ? '{}' : value
  }
}
