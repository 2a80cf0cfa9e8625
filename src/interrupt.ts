/** The exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report it. */
export const INTERRUPTED_EXIT = 130

/**
 * Runs `work` with a signal that Ctrl-C, SIGTERM or a closed terminal (SIGHUP) aborts. The first
 * asks the work to stop cleanly, so a long export keeps and records what it wrote; a second
 * Ctrl-C or SIGTERM ends the process at once. `writing` says whether sessions are being written
 * (a watch waiting for changes writes none, and has nothing to finish).
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>, notice: (message: string) => void, writing: () => boolean = () => true): Promise<T> {
  const controller = new AbortController()
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED_EXIT)
    controller.abort()
    notice(writing() ? 'Stopping: the sessions being written are finished first (press Ctrl-C again to stop at once).' : 'Stopping.')
  }

  // Never taken for "again": a closing terminal hangs up both its shell and the run, and the
  // shell passes its hangup on to its jobs, so one close can bring two.
  const onHangup = () => controller.abort()
  keepWritingWithoutTerminal()
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('SIGHUP', onHangup)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.off('SIGHUP', onHangup)
  }
}

/**
 * Messages and progress that cannot be written to standard error (the terminal was closed, the
 * reading end of a pipe went away) are dropped: left unheard, the failure would end the run
 * before it recorded what it wrote, and the exports are what matters. Standard output gets only
 * the summary, once everything is recorded.
 */
function keepWritingWithoutTerminal(): void {
  if (!process.stderr.listeners('error').includes(dropOutputError)) process.stderr.on('error', dropOutputError)
}

function dropOutputError(): void {}
