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

/** A shell command that failed still `completed`; its exit code is only in the metadata. */
function exitCode(metadata: Json): number | null {
  return typeof metadata.exit === 'number' && metadata.exit !== 0 ? metadata.exit : null
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

/** What the tool answered, and whether that was an error, by the state OpenCode left it in. */
function outcome(state: Json): {output: string; isError: boolean} {
  const metadata = isRecord(state.metadata) ? state.metadata : {}
  switch (state.status) {
    case 'completed': {
      const output = text(state.output) ?? ''
      const exit = exitCode(metadata)
      return exit === null ? {isError: false, output} : {isError: true, output: withLine(output, `Exit code ${exit}`)}
    }

    case 'error': {
      // An interrupted call keeps what it printed before the user stopped it.
      const partial = text(metadata.output)
      const error = text(state.error) ?? 'The tool failed.'
      return {isError: true, output: partial ? withLine(partial, error) : error}
    }

    default: {
      return {isError: true, output: `The tool call did not finish (${text(state.status) ?? 'no state'}).`}
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
