/** How often a long export records its progress, at the least. */
export const CHECKPOINT_MS = 10_000

/**
 * A save waits this many times as long as the last one took: the state of a very large history
 * takes a while to write, and recording progress should cost a run a few percent at most.
 */
const COST_RATIO = 20

/**
 * Saves a long export's progress every so often while it runs, so a run ended by what no signal
 * handler sees (kill -9, the out-of-memory killer, a power cut) does not export again everything
 * it wrote: the next run finds it recorded. One save at a time.
 */
export class Checkpoints {
  private lastSave = Date.now()
  private wait: number
  private timer: NodeJS.Timeout | null = null
  private pending: Promise<void> | null = null
  /** Whether something was recorded since the last save began. */
  private dirty = false

  constructor(
    private readonly save: () => Promise<void>,
    private readonly intervalMs: number,
  ) {
    this.wait = intervalMs
  }

  /**
   * Called when a session is recorded: a save follows once the interval since the last one has
   * passed, on a timer, so progress is kept even while a large session holds up the next one.
   */
  tick(): void {
    this.dirty = true
    this.schedule()
  }

  /** Saves now, once a save under way is done; its failure is thrown. */
  async now(): Promise<void> {
    this.cancelTimer()
    await this.pending
    // The save that just ended may have scheduled the next: this one takes its place.
    this.cancelTimer()
    this.dirty = false
    await this.save()
    this.lastSave = Date.now()
  }

  /** No more saves: one still to come is not made, one under way is waited for. */
  async stop(): Promise<void> {
    this.cancelTimer()
    this.dirty = false
    await this.pending
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(): void {
    if (this.timer || this.pending || !this.dirty) return
    this.timer = setTimeout(() => this.start(), Math.max(0, this.lastSave + this.wait - Date.now()))
    // Never what keeps the process alive: the run's own last save ends it.
    this.timer.unref()
  }

  private start(): void {
    this.timer = null
    this.dirty = false
    const started = Date.now()
    // A failure is not reported here: a later save (at the latest, the run's own at its end)
    // tries again, and reports what still fails.
    this.pending = this.save()
      .catch(() => {})
      .finally(() => {
        this.pending = null
        this.lastSave = Date.now()
        this.wait = Math.max(this.intervalMs, (this.lastSave - started) * COST_RATIO)
        this.schedule()
      })
  }
}
