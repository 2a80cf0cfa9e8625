import type {EventBlock} from 'sessionsync'
import {isRecord, text} from './format.js'

/** Arguments longer than this, as one line of JSON, are cut: the list says what was called, briefly. */
const ARGUMENTS_CHARS = 80

/** One inner call: its tool and arguments, and how it ended when not well or when it took a while. */
function callLine(call: Record<string, unknown>): string {
  const args = isRecord(call.arguments) ? JSON.stringify(call.arguments) : ''
  const shown = args.length > ARGUMENTS_CHARS ? `${args.slice(0, ARGUMENTS_CHARS - 1)}…` : args
  const ending = [text(call.status) ?? 'unknown', typeof call.durationMs === 'number' ? `${Math.round(call.durationMs)} ms` : null].filter(Boolean).join(', ')
  const error = text(call.error)
  return `- ${text(call.name) ?? 'unknown'}${shown ? ` \`${shown.replaceAll('`', "'")}\`` : ''}: ${ending}${error ? `: ${error}` : ''}`
}

/**
 * The calls a tool made to other tools (1.x `toolResult.nestedCalls`, a code-mode tool's inner
 * calls), one a line; Pi keeps a bounded list, and says when it left some out (`complete: false`).
 */
export function nestedCallsEvent(nested: unknown): EventBlock | null {
  if (!isRecord(nested) || !Array.isArray(nested.calls)) return null
  const lines = nested.calls.filter(isRecord).map(callLine)
  if (nested.complete === false) lines.push('- … and more, which Pi did not record')
  return lines.length > 0 ? {kind: 'nested_calls', text: lines.join('\n'), type: 'event'} : null
}
