/**
 * Ends a run's writing early: when its own signal is aborted (Ctrl-C), or once the output's disk
 * has no room left, when every later session would fail the same way.
 */
export class WritingStop {
  private readonly controller = new AbortController()
  /** Why writing stopped without being asked to: the disk is full. Null while it was not. */
  noRoom: string | null = null

  constructor(signal?: AbortSignal) {
    if (signal?.aborted) this.controller.abort()
    else signal?.addEventListener('abort', () => this.controller.abort(), {once: true})
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  outOfRoom(reason: string): void {
    this.noRoom ??= reason
    this.controller.abort()
  }
}
