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

/** What the user is told of such a session, and how to give Node the memory it may need. */
export function endedInNotice(planned: PlannedSession, output: string): string {
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)
  const {id, sizeBytes, sourcePath} = planned.ref
  return `the last run into ${output} ended while it exported session ${id} (${formatBytes(sizeBytes)}, ${sourcePath}): it was killed, or ran out of memory. That session is exported last this time. If the run ends in it again, give Node more memory than its ${heapMb} MB: NODE_OPTIONS=--max-old-space-size=${2 * heapMb} sessionsync`
}
