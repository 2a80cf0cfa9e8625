/**
 * Buffers kept for reuse: a new megabyte for each file read or written is memory V8 counts
 * against the heap, and it collected far more often for them. At most `keep` wait here, so a
 * watch running for days holds no more than that.
 */
export class BufferPool<T extends Uint8Array> {
  private readonly spare: T[] = []

  constructor(
    private readonly create: () => T,
    private readonly keep: number,
  ) {}

  take(): T {
    return this.spare.pop() ?? this.create()
  }

  give(buffer: T): void {
    if (this.spare.length < this.keep) this.spare.push(buffer)
  }
}
