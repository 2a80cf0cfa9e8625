import type {AttachmentBlock, ToolCallBlock, ToolResultBlock} from 'sessionsync'
import {attachmentOf} from './attachments.js'
import type {Json} from './json.js'
import {isRecord, text} from './json.js'
import {spawnedSessionId} from './stored.js'

export interface ToolExchange {
  call: ToolCallBlock
  /** The result, then any files the tool returned (the image a `read` loaded). */
  result: Array<ToolResultBlock | AttachmentBlock>
}

/** A shell command's exit code, in its metadata: one that failed still `completed`. */
function exitCode(metadata: Json): number | null {
  return Number.isInteger(metadata.exit) ? (metadata.exit as number) : null
}

/** OpenCode times each call it ran, from its start to its end. */
function duration(time: unknown): number | null {
  if (!isRecord(time) || typeof time.start !== 'number' || typeof time.end !== 'number') return null
  return time.end >= time.start ? time.end - time.start : null
}

function withLine(output: string, line: string): string {
  if (output === '') return line
  // Trailing newlines counted back from the end: /\n*$/ would try again from every newline of a
  // long run of blank lines inside the output, taking time growing with its square.
  let end = output.length
  while (end > 0 && output.charCodeAt(end - 1) === NEWLINE) end--
  return `${output.slice(0, end)}\n\n${line}`
}

const NEWLINE = 0x0a

/** The error OpenCode gives the calls still running when the user stops the turn. */
const ABORTED = 'Tool execution aborted'

type Outcome = Omit<ToolResultBlock, 'callId' | 'type'>

/** What the tool answered, and how the call ended, by the state OpenCode left it in. */
function outcome(state: Json): Outcome {
  const metadata = isRecord(state.metadata) ? state.metadata : {}
  const exit = exitCode(metadata)
  switch (state.status) {
    case 'completed': {
      const failed = exit !== null && exit !== 0
      return {durationMs: duration(state.time), exitCode: exit, isError: failed, output: text(state.output) ?? '', status: failed ? 'error' : 'ok'}
    }

    case 'error': {
      // A call that failed or was interrupted keeps what it printed before: 1.x in its metadata,
      // OpenCode 2 in its content (see v2.ts).
      const partial = text(metadata.output) ?? text(state.output)
      const error = text(state.error) ?? 'The tool failed.'
      const interrupted = metadata.interrupted === true || error === ABORTED
      // A call stopped before it started, and any stopped call of older builds, was given the
      // moment it was stopped as both its start and its end: no time it ran.
      const ran = duration(state.time)
      return {
        durationMs: interrupted && ran === 0 ? null : ran,
        exitCode: exit,
        isError: true,
        output: partial ? withLine(partial, error) : error,
        status: interrupted ? 'interrupted' : 'error',
      }
    }

    default: {
      // Still pending or running when the session was read: a command keeps what it printed so far.
      return {durationMs: null, exitCode: null, isError: true, output: text(metadata.output) ?? '', status: 'unfinished'}
    }
  }
}

/**
 * A call still streaming its arguments stores `input: {}` beside the raw text received so far
 * (message-v2's pending state): that text is all there is of them.
 */
function callInput(state: Json): unknown {
  const raw = text(state.raw)
  const empty = isRecord(state.input) && Object.keys(state.input).length === 0
  return (empty || state.input === undefined) && raw ? raw : (state.input ?? null)
}

/** A `tool` part: the call the model made, and the result OpenCode stored beside it. */
export function toolExchange(part: Json): ToolExchange {
  const state = isRecord(part.state) ? part.state : {}
  const id = text(part.callID) ?? String(part.id)
  const attachments = Array.isArray(state.attachments) ? state.attachments.filter(isRecord).map(attachmentOf) : []
  return {
    call: {
      id,
      input: callInput(state),
      name: text(part.tool) ?? 'unknown',
      subagentId: spawnedSessionId(part),
      type: 'tool_call',
    },
    result: [{callId: id, type: 'tool_result', ...outcome(state)}, ...attachments],
  }
}
