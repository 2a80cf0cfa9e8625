import {getHeapStatistics} from 'node:v8'
import {formatBytes} from '../table.js'
import {sessionKey} from './layout.js'
import type {PlannedSession} from './plan.js'
import type {SessionUnderway} from './writing-runs.js'

/**
 * The sessions to export after every other: those that a run into the same folder was exporting
 * when it ended without finishing. A session too large for Node's memory ends each run in it, and
 * first would keep every session after it from being exported, run after run.
 */
export function exportedLast(toExport: readonly PlannedSession[], endedIn: readonly SessionUnderway[]): PlannedSession[] {
  const keys = new Set(endedIn.map((session) => sessionKey(session)))
  return toExport.filter((planned) => keys.has(sessionKey(planned.ref)))
}

/** What the user is told of such sessions of one agent, and how to give Node the memory they may need. */
export function endedInNotice(sessions: readonly PlannedSession[], output: string): string {
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)
  const named = sessions.map(({ref}) => `${ref.id} (${formatBytes(ref.sizeBytes)}, ${ref.sourcePath})`).join(', ')
  const [which, those, them] = sessions.length === 1 ? ['session', 'That session is', 'it'] : ['sessions', 'Those sessions are', 'one of them']
  return `the last run into ${output} ended while it exported ${which} ${named}: it was killed, or ran out of memory. ${those} exported last this time. If the run ends in ${them} again, give Node more memory than its ${heapMb} MB: NODE_OPTIONS=--max-old-space-size=${2 * heapMb} sessionsync`
}
