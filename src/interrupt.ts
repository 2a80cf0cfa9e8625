/** The exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT = 130

/**
 * Runs `work` with a signal that Ctrl-C (or SIGTERM) aborts. The first asks the work to stop
 * cleanly, so a long export keeps and records what it wrote; a second ends the process at once.
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>, notice: (message: string) => void): Promise<T> {
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED_EXIT)
    controller.abort()
    notice('Stopping: the sessions being written are finished first (press Ctrl-C again to stop at once).')
  }

  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
