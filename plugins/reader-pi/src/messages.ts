import type {Block, EventBlock, Message, ReaderContext, Role} from 'sessionsync'
import type {Json, PiEntry} from './format.js'
import {isoTime, isRecord, modelName, text} from './format.js'
import {nestedCallsEvent} from './nested-calls.js'
import {toolOutcome} from './tool-outcome.js'
import {recordedUsage} from './usage.js'

/**
 * Entries that describe the session rather than say anything in it: extension state, labels,
 * the session's name, usage counted in the totals (`usage`, 1.x), and `context_edit` (1.x: what
 * a retry took out of the model's context; the history keeps what happened).
 */
const METADATA_TYPES = new Set(['custom', 'label', 'session_info', 'usage', 'context_edit'])

function message(entry: PiEntry, role: Role, blocks: Block[], extra: {model?: string | null; time?: unknown} = {}): Message {
  return {blocks, id: entry.id, model: extra.model ?? null, role, timestamp: isoTime(extra.time) ?? isoTime(entry.timestamp), usage: recordedUsage(entry)}
}

function event(kind: string, body: string): EventBlock {
  return {kind, text: body, type: 'event'}
}

/** User, extension and tool-result content: a string, or text and image blocks. */
function contentBlocks(content: unknown): Block[] {
  if (typeof content === 'string') return content === '' ? [] : [{text: content, type: 'text'}]
  if (!Array.isArray(content)) return []
  return content.flatMap((block): Block[] => {
    if (!isRecord(block)) return []
    if (block.type === 'text' && typeof block.text === 'string') return [{text: block.text, type: 'text'}]
    if (block.type === 'image' && typeof block.data === 'string') {
      return [{data: block.data, kind: 'image', mimeType: text(block.mimeType), name: null, path: null, type: 'attachment'}]
    }

    return []
  })
}

function assistantBlocks(content: unknown): Block[] {
  if (!Array.isArray(content)) return contentBlocks(content)
  return content.flatMap((block): Block[] => {
    if (!isRecord(block)) return []
    if (block.type === 'thinking') {
      const thought = text(block.thinking) ?? ''
      // Anthropic redacted thinking and encrypted reasoning keep only an opaque signature.
      const redacted = block.redacted === true || (thought.trim() === '' && typeof block.thinkingSignature === 'string')
      return thought.trim() === '' && !redacted ? [] : [{redacted, text: thought, type: 'thinking'}]
    }

    if (block.type === 'toolCall') {
      return [{id: text(block.id) ?? '', input: block.arguments ?? null, name: text(block.name) ?? 'unknown', subagentId: null, type: 'tool_call'}]
    }

    return contentBlocks([block])
  })
}

function assistantMessage(entry: PiEntry, body: Json, ctx: ReaderContext): Message {
  const blocks = assistantBlocks(body.content)
  const failure = text(body.errorMessage)
  if (failure) blocks.push(event(body.stopReason === 'aborted' ? 'aborted' : 'error', failure))
  else if (body.stopReason === 'length') blocks.push(ctx.kit.outputLimitEvent())
  else if (body.stopReason === 'deferred') blocks.push(deferredEvent(body.deferred))
  return message(entry, 'assistant', blocks, {model: modelName(body.provider, body.model), time: body.timestamp})
}

/**
 * A reply the provider answers later (1.x, background responses): the message holds only the
 * handle Pi retrieves it with, and would otherwise show nothing.
 */
function deferredEvent(handle: unknown): EventBlock {
  const id = isRecord(handle) ? text(handle.id) : null
  return event('deferred', `The provider answers this reply in the background${id ? ` (response ${id})` : ''}`)
}

/**
 * One `tool` message per result, linked to its call; images the tool returned follow as
 * attachments, then the calls it made to other tools (1.x).
 */
function toolResultMessage(entry: PiEntry, body: Json): Message {
  const blocks = contentBlocks(body.content)
  const output = blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n')
  const result: Block = {callId: text(body.toolCallId) ?? '', output, type: 'tool_result', ...toolOutcome(body.isError === true, output, body.durationMs)}
  const nested = nestedCallsEvent(body.nestedCalls)
  return message(entry, 'tool', [result, ...blocks.filter((block) => block.type !== 'text'), ...(nested ? [nested] : [])], {time: body.timestamp})
}

/**
 * A command the user ran with `!cmd` (`!!cmd`: its output kept from the model), as typed, and what
 * it printed, with how it ended as Pi tells the model (messages.js `bashExecutionToText`).
 */
function bashExecutionBlocks(body: Json): Block[] {
  const typed = `${body.excludeFromContext === true ? '!!' : '!'} ${text(body.command) ?? ''}`
  const notes = [text(body.output) ?? '']
  if (body.cancelled === true) notes.push('(command cancelled)')
  else if (typeof body.exitCode === 'number' && body.exitCode !== 0) notes.push(`Command exited with code ${body.exitCode}`)
  if (body.truncated === true && typeof body.fullOutputPath === 'string') notes.push(`[Output truncated. Full output: ${body.fullOutputPath}]`)
  const printed = notes.filter((note) => note !== '').join('\n\n')
  return [{text: typed, type: 'text'}, ...(printed === '' ? [] : [event('shell_output', printed)])]
}

function conversationMessage(entry: PiEntry, body: Json, ctx: ReaderContext): Message | null {
  switch (body.role) {
    // The system prompt and the tools offered (1.x): the harness talking to the model.
    case 'system': {
      return null
    }

    case 'user': {
      return message(entry, 'user', contentBlocks(body.content), {time: body.timestamp})
    }

    case 'assistant': {
      return assistantMessage(entry, body, ctx)
    }

    case 'toolResult': {
      return toolResultMessage(entry, body)
    }

    case 'bashExecution': {
      return message(entry, 'user', bashExecutionBlocks(body), {time: body.timestamp})
    }

    // Extension messages are sent to the model as user turns, but nobody typed them.
    case 'custom': {
      return message(entry, 'system', contentBlocks(body.content), {time: body.timestamp})
    }

    // In memory, Pi gives a compaction entry as this message: shown as the entry is.
    case 'compactionSummary': {
      return message(entry, 'system', compactionEvents(body), {time: body.timestamp})
    }

    case 'branchSummary': {
      return message(entry, 'system', [event('branch_summary', text(body.summary) ?? '')], {time: body.timestamp})
    }

    default: {
      ctx.debug(`${body.role === undefined ? 'a message without a role' : `message role ${JSON.stringify(body.role)} is not known`}; kept its content as a system message`)
      return message(entry, 'system', contentBlocks(body.content), {time: body.timestamp})
    }
  }
}

/**
 * What the `context_edit` entries (1.x) of a path did, by the entry they name: `null` took it
 * out of the model's context (a reply Pi retried, with its tool results), anything else replaced
 * it there. The history keeps the entry as it was.
 */
export function contextEdits(path: readonly PiEntry[]): Map<string, unknown> {
  return new Map(path.flatMap((entry) => (entry.type === 'context_edit' && typeof entry.targetId === 'string' ? [[entry.targetId, entry.replacement] as const] : [])))
}

/** The message, marked when a later `context_edit` changed what the model saw of it. */
export function withContextEdit(message: Message | null, entry: PiEntry, edits: ReadonlyMap<string, unknown>): Message | null {
  if (!message || !edits.has(entry.id)) return message
  const replacement = edits.get(entry.id)
  const replaced = isRecord(replacement) ? contentBlocks(replacement.content).flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n') : null
  const note = replaced === null ? 'Taken out of the model\'s context later (the history keeps it).' : `Replaced in the model's context later by: ${replaced}`
  return {...message, blocks: [...message.blocks, event('context_edit', note)]}
}

/** The message, marked with the label (`/tree` bookmark) the user gave its entry, if any. */
export function withLabel(message: Message | null, labels: ReadonlyMap<string, string>): Message | null {
  const label = message?.id ? labels.get(message.id) : undefined
  if (!message || label === undefined) return message
  return {...message, blocks: [...message.blocks, event('label', `Label: ${label}`)]}
}

/**
 * The message an entry of the conversation becomes, or null for entries that are metadata
 * (labels, names, extension state) or that this reader does not know.
 */
export function toMessage(entry: PiEntry, ctx: ReaderContext): Message | null {
  switch (entry.type) {
    case 'message': {
      return isRecord(entry.message) ? conversationMessage(entry, entry.message, ctx) : null
    }

    case 'custom_message': {
      return message(entry, 'system', contentBlocks(entry.content))
    }

    case 'model_change': {
      return message(entry, 'system', [event('model_change', `Model: ${modelName(entry.provider, entry.modelId) ?? 'unknown'}`)])
    }

    case 'thinking_level_change': {
      return message(entry, 'system', [event('thinking_level_change', `Thinking level: ${text(entry.thinkingLevel) ?? 'unknown'}`)])
    }

    case 'compaction': {
      return message(entry, 'system', compactionEvents(entry))
    }

    case 'branch_summary': {
      return message(entry, 'system', [event('branch_summary', text(entry.summary) ?? '')])
    }

    default: {
      if (!METADATA_TYPES.has(entry.type)) ctx.debug(`line ${entry.line}: entry type ${JSON.stringify(entry.type)} is not known; skipped`)
      return null
    }
  }
}

/** Worded as Claude Code's compactions are: that it happened, then what the model kept of it. */
function compactionEvents(compaction: Json): EventBlock[] {
  const before = typeof compaction.tokensBefore === 'number' ? ` (${compaction.tokensBefore} tokens before)` : ''
  const summary = text(compaction.summary) ?? ''
  return [event('compaction', `Conversation compacted${before}`), ...(summary ? [event('compaction_summary', summary)] : [])]
}

/** The text of a user message, for titles. */
export function userText(body: unknown): string | null {
  if (!isRecord(body) || body.role !== 'user') return null
  const texts = contentBlocks(body.content).flatMap((block) => (block.type === 'text' && block.text.trim() ? [block.text] : []))
  return texts.length > 0 ? texts.join('\n') : null
}
