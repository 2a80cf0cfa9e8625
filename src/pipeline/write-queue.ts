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
    await this.until(() => this.running.size < this.limits.count && this.fits(size))
    this.bytes += size
    const run: Promise<void> = task().finally(() => {
      this.running.delete(run)
      this.bytes -= size
    })
    this.running.add(run)
  }

  /**
   * Resolves once the writes under way leave room in the budget for a session of `size`: the
   * next session is read only then, so that a large one is never read while another is written.
   */
  async roomFor(size: number): Promise<void> {
    await this.until(() => this.fits(size))
  }

  async drain(): Promise<void> {
    await Promise.all(this.running)
  }

  private fits(size: number): boolean {
    return this.bytes + size <= this.limits.bytes
  }

  private async until(ready: () => boolean): Promise<void> {
    while (this.running.size > 0 && !ready()) await Promise.race(this.running)
  }
}
