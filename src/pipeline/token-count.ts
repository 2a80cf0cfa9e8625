import type {TokenPool} from './token-pool.js'

export interface FormatCost {
  bytes: number
  /** o200k_base tokens (the tokenizer of current OpenAI models; close to what other models count). */
  tokens: number
}

/** Text is counted once this much of it is waiting: a session of hundreds of MB is never one string. */
const SEGMENT_CHARS = 1 << 20

/**
 * Bytes and tokens of a text handed over in pieces (a writer's `renderPieces`), counted in
 * segments of about a megabyte. A segment ends only where the o200k pre-tokenizer always splits,
 * so the segments' counts add up to the count of the whole text (see `isSegmentEnd`), and can be
 * counted apart, on other threads.
 */
export class CostCounter {
  private pending = ''
  private bytes = 0
  private readonly counts: Array<Promise<number>> = []

  constructor(
    private readonly tokens: Pick<TokenPool, 'count' | 'ready'>,
    private readonly segmentChars = SEGMENT_CHARS,
  ) {}

  async add(piece: string): Promise<void> {
    this.pending += piece
    if (this.pending.length < this.segmentChars) return
    const end = lastSegmentEnd(this.pending)
    if (end > 0) await this.count(end)
  }

  /** Hands over the rest of the text: nothing is held here any more, only the counts awaited. */
  async finish(): Promise<void> {
    if (this.pending.length > 0) await this.count(this.pending.length)
  }

  /** Once finished: the cost, when every segment is counted. */
  async total(): Promise<FormatCost> {
    const counts = await Promise.all(this.counts)
    return {bytes: this.bytes, tokens: counts.reduce((sum, count) => sum + count, 0)}
  }

  private async count(end: number): Promise<void> {
    const segment = this.pending.slice(0, end)
    this.pending = this.pending.slice(end)
    this.bytes += Buffer.byteLength(segment)
    await this.tokens.ready()
    const counted = this.tokens.count(segment)
    // Failures surface in total(); until then, none goes unhandled.
    counted.catch(() => {})
    this.counts.push(counted)
  }
}

function lastSegmentEnd(text: string): number {
  for (let lineEnd = text.lastIndexOf('\n'); lineEnd >= 0; lineEnd = lineEnd === 0 ? -1 : text.lastIndexOf('\n', lineEnd - 1)) {
    if (isSegmentEnd(text, lineEnd + 1)) return lineEnd + 1
  }

  return -1
}

/**
 * Whether no o200k pre-token spans `position`, just after a line end. Its pattern joins a line
 * end only to white space and line ends before it, and, after punctuation, to line ends and `/`
 * right after it: so a line end followed by spaces or tabs, then by anything but white space
 * (and not directly by `/`), ends a pre-token. The characters after it must be known.
 */
function isSegmentEnd(text: string, position: number): boolean {
  let next = position
  while (text[next] === ' ' || text[next] === '\t') next++
  if (next >= text.length) return false
  const char = text[next]
  return !/\s/.test(char) && !(next === position && char === '/')
}
