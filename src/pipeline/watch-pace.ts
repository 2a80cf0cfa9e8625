/**
 * When a watch may export again. Three rules, for agents that write a line every second or so
 * for hours:
 * - an export waits for a moment of quiet (`debounceMs`), so a burst of writes is one export;
 * - but not forever: an agent that never pauses as long still gets exported every
 *   `MAX_WAIT_DEBOUNCES` quiet times;
 * - and after an export, the watch rests `REST_PER_EXPORT` times what it cost. An active
 *   session of 50 MB takes about a second to read and render again; exported after every line,
 *   it kept more than a core busy.
 */
export interface PaceState {
  /** The first change not exported yet. */
  firstChangeAt: number
  /** The latest change. */
  lastChangeAt: number
  /** When the last export ended (0 before the first). */
  lastExportEndedAt: number
  /**
   * What the last export cost, in ms: its time, or the processor time it used on all threads if
   * more (V8 collects garbage on the other core meanwhile).
   */
  lastExportCostMs: number
}

const MAX_WAIT_DEBOUNCES = 10
const REST_PER_EXPORT = 4
/** A rest never longer than this: an export of many sessions at once (a branch switch) is rare. */
const MAX_REST_MS = 30_000

/** The time (in `Date.now()` terms) at which the changes seen so far should be exported. */
export function nextExportAt(state: PaceState, debounceMs: number): number {
  const quiet = Math.min(state.lastChangeAt + debounceMs, state.firstChangeAt + debounceMs * MAX_WAIT_DEBOUNCES)
  return Math.max(quiet, state.lastExportEndedAt + restAfter(state.lastExportCostMs))
}

/** How long the watch rests after an export that cost this much. */
export function restAfter(costMs: number): number {
  return Math.min(costMs * REST_PER_EXPORT, MAX_REST_MS)
}
