import type {ToolResultBlock, ToolStatus} from 'sessionsync'

const STATUS_NAMES: Record<ToolStatus, string> = {error: 'Error', interrupted: 'Interrupted', ok: 'Output', unfinished: 'Did not finish'}

/** Calls quicker than this are most of them: their time would be noise beside every result. */
const SHOWN_FROM_MS = 1000

/**
 * How a result is named above its output, and what it adds of how its call ended: a command's
 * exit code when not 0, the time of a slow call. A quick success is plain `Output`.
 */
export function resultLabel(result: ToolResultBlock): {name: string; notes: string[]} {
  // An export older than `status` has only the error flag.
  const status = result.status ?? (result.isError ? 'error' : 'ok')
  const notes: string[] = []
  if (result.exitCode !== null && result.exitCode !== 0) notes.push(`exit ${result.exitCode}`)
  if (result.durationMs !== null && result.durationMs >= SHOWN_FROM_MS) notes.push(duration(result.durationMs))
  return {name: STATUS_NAMES[status], notes}
}

/** `1.2 s` under a minute, `2 min 5 s` from one. */
function duration(ms: number): string {
  const tenths = Math.round(ms / 100)
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}
