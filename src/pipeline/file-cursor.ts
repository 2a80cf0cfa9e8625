import {closeSync, openSync, readSync} from 'node:fs'
import {BufferPool} from '../kit/buffer-pool.js'

const CHUNK_BYTES = 1024 * 1024
const LINE_FEED = 0x0a
/** One chunk for file after file, as the reader kit keeps its own: a sync takes back thousands of exports. */
const chunks = new BufferPool(() => Buffer.allocUnsafe(CHUNK_BYTES), 1)

/**
 * Reads a file forward, handing out its text up to a sequence of bytes: each is found with a
 * native search through the bytes read, and decoded once found, whole, so that no character is
 * split between two reads, and a long stretch (a row of a table) is decoded in one piece rather
 * than a line at a time. Memory holds a chunk, or the longest stretch asked for.
 */
export class FileCursor {
  private readonly descriptor: number
  private readonly chunk: Buffer<ArrayBuffer>
  private window: Buffer
  /** The first byte of the window not handed out yet, and the end of those read. */
  private start = 0
  private end = 0

  constructor(
    file: string,
    private readonly chunkBytes = CHUNK_BYTES,
  ) {
    this.descriptor = openSync(file, 'r')
    this.chunk = chunkBytes === CHUNK_BYTES ? chunks.take() : Buffer.allocUnsafe(chunkBytes)
    this.window = this.chunk
  }

  /** The text up to `delimiter`, which is passed over; null where the file ends before one. */
  upTo(delimiter: Buffer): string | null {
    let from = this.start
    for (;;) {
      const found = this.window.subarray(0, this.end).indexOf(delimiter, from)
      if (found !== -1) {
        const text = this.window.toString('utf8', this.start, found)
        this.start = found + delimiter.length
        return text
      }

      // Searched again from just before the bytes a read adds: the delimiter may straddle them.
      const searched = Math.max(this.start, this.end - delimiter.length + 1) - this.start
      if (!this.readMore()) return null
      from = searched
    }
  }

  /**
   * The text up to and with the last line break of the bytes read so far, reading first where
   * none is left to hand out (more than once for a line longer than a read); at the file's end,
   * its last line without a line break, then null.
   */
  wholeLines(): string | null {
    for (;;) {
      const lastLineBreak = this.end > this.start ? this.window.lastIndexOf(LINE_FEED, this.end - 1) : -1
      if (lastLineBreak >= this.start) {
        const text = this.window.toString('utf8', this.start, lastLineBreak + 1)
        this.start = lastLineBreak + 1
        return text
      }

      if (!this.readMore()) return this.start < this.end ? this.rest() : null
    }
  }

  /** What is left of the file, once no delimiter remains in it. */
  rest(): string {
    while (this.readMore());
    const text = this.window.toString('utf8', this.start, this.end)
    this.start = this.end
    return text
  }

  close(): void {
    closeSync(this.descriptor)
    if (this.chunkBytes === CHUNK_BYTES) chunks.give(this.chunk)
  }

  /** Moves what is not handed out to the window's start, in a larger window if it is full, and reads after it; false at the file's end. */
  private readMore(): boolean {
    const kept = this.end - this.start
    // Back to the chunk after a long stretch, so that a large window does not outlive it.
    const target = kept * 2 <= this.chunkBytes ? this.chunk : kept === this.window.length ? Buffer.allocUnsafe(kept * 2) : this.window
    this.window.copy(target, 0, this.start, this.end)
    this.window = target
    this.start = 0
    this.end = kept
    const length = readSync(this.descriptor, this.window, kept, this.window.length - kept, null)
    this.end += length
    return length > 0
  }
}

export const LINE_END = Buffer.from('\n')

/** The lines of a text file, a Windows line break's `\r` kept, read as a cursor reads. */
export function* fileLines(file: string): Generator<string> {
  const cursor = new FileCursor(file)
  try {
    for (let line = cursor.upTo(LINE_END); line !== null; line = cursor.upTo(LINE_END)) yield line
    yield cursor.rest()
  } finally {
    cursor.close()
  }
}

/**
 * A text file in pieces of whole lines, about a read each: a file of any size is never one
 * string, and printing it is not a write for every line.
 */
export function* filePieces(file: string, chunkBytes?: number): Generator<string> {
  const cursor = new FileCursor(file, chunkBytes)
  try {
    for (let piece = cursor.wholeLines(); piece !== null; piece = cursor.wholeLines()) yield piece
  } finally {
    cursor.close()
  }
}
