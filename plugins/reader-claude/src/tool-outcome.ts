import type {ToolOutcome} from 'sessionsync'

/** What the structured result of a call (`toolUseResult`) says of how it ended. */
export interface ToolUseEnd {
  /** A shell command the user stopped while it ran. */
  interrupted: boolean
  durationMs: number | null
}

/**
 * What Claude Code answers for a call the user stopped before it returned: its cancel message, or
 * the interruption marker. A shell command stopped while it ran says so in `toolUseResult` instead.
 */
const STOPPED = ["The user doesn't want to take this action right now.", '[Request interrupted by user for tool use]']

/** A failed shell command's result starts with this line. */
const EXIT_LINE = /^Exit code (-?\d+)(?:\n|$)/

/** Tools that time themselves (Glob, WebFetch) say so in `durationMs`, a subagent's Task in `totalDurationMs`. */
const DURATION_FIELDS = ['durationMs', 'totalDurationMs']

export function toolUseEnd(toolUseResult: unknown): ToolUseEnd {
  const fields = (typeof toolUseResult === 'object' && toolUseResult !== null ? toolUseResult : {}) as Record<string, unknown>
  const durationMs = DURATION_FIELDS.map((field) => fields[field]).find((value): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0)
  return {durationMs: durationMs ?? null, interrupted: fields.interrupted === true}
}

/**
 * How a call ended, from its result's error flag and text and what its structured result said.
 * Claude Code records a shell command's exit code only when it failed.
 */
export function toolOutcome(failed: boolean, output: string, end: ToolUseEnd | undefined): ToolOutcome {
  const interrupted = end?.interrupted === true || STOPPED.some((message) => output.startsWith(message))
  const exit = failed ? EXIT_LINE.exec(output) : null
  return {
    durationMs: end?.durationMs ?? null,
    exitCode: exit ? Number(exit[1]) : null,
    isError: failed || interrupted,
    status: interrupted ? 'interrupted' : failed ? 'error' : 'ok',
  }
}
