import type {ReadAheadLimits} from '../kit/read-ahead.js'

/**
 * Lets a few exports finish writing while the next session is prepared: each write is a
 * handful of file system calls, and waiting on them one after another leaves the process
 * idle. The byte budget (of the sessions' sources) keeps a large session's output alone.
 */
export class WriteQueue {
  private readonly running = new Set<Promise<void>>()
  private bytes = 0

  constructor(private readonly limits: ReadAheadLimits) {}

  /** Starts `task` once there is room; `task` must not reject. */
  async add(size: number, task: () => Promise<void>): Promise<void> {
    while (this.running.size > 0 && (this.running.size >= this.limits.count || this.bytes + size > this.limits.bytes)) await Promise.race(this.running)
    this.bytes += size
    const run: Promise<void> = task().finally(() => {
      this.running.delete(run)
      this.bytes -= size
    })
    this.running.add(run)
  }

  async drain(): Promise<void> {
    await Promise.all(this.running)
  }
}
