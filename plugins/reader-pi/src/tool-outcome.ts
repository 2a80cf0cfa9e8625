import type {ToolOutcome} from 'sessionsync'

/**
 * The ends of what Pi answers for a call the user stopped: a command killed (`Command aborted`,
 * after what it printed), another tool stopped, a call skipped for a message the user sent meanwhile.
 */
const STOPPED = [/(?:^|\n)Command aborted$/, /^Operation aborted$/, /^Skipped due to queued user message\.$/]

/** The line Pi's bash tool ends a failed command's output with: `details` holds no exit code. */
const EXIT_LINE = /(?:^|\n)Command exited with code (-?\d+)$/

/**
 * How a call ended, from its result's error flag and text. Pi records a command's exit code only
 * when it was not 0. Pi 1.x records how long the tool ran (`durationMs`, absent when it did not
 * run); 0.x no time of the call, and a tool result's timestamp is when it was written.
 */
export function toolOutcome(failed: boolean, output: string, durationMs: unknown): ToolOutcome {
  const interrupted = failed && STOPPED.some((pattern) => pattern.test(output))
  const exit = failed ? EXIT_LINE.exec(output) : null
  const ran = typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : null
  return {durationMs: ran, exitCode: exit ? Number(exit[1]) : null, isError: failed, status: interrupted ? 'interrupted' : failed ? 'error' : 'ok'}
}
