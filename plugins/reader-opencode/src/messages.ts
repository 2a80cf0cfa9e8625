import type {Block, Message, ReaderContext, Usage} from 'sessionsync'
import {attachmentOf} from './attachments.js'
import type {Json} from './json.js'
import {amount, isoTime, isRecord, text} from './json.js'
import type {StoredMessage} from './stored.js'
import {modelOf} from './stored.js'
import {toolExchange} from './tools.js'
import {V2_EVENT} from './v2.js'

/** The event of a `patch` part: the files a step changed, one a line. */
export const FILES_CHANGED = 'files-changed'

/** Parts that record how the run went (steps, snapshots of the work tree), not the conversation. */
const BOOKKEEPING = new Set(['step-start', 'step-finish', 'snapshot'])

interface Rendered {
  /** In the message itself. */
  blocks: Block[]
  /** Tool results (and the files tools returned), in a `tool` message after it. */
  results: Block[]
}

const event = (kind: string, eventText: string): Block => ({kind, text: eventText, type: 'event'})

/**
 * `opencode run` joins its arguments into the prompt, quoting each that holds a space: `"` + the
 * argument with every `"` escaped as `\"` + `"`. Only a prompt quoted exactly so is unquoted: one
 * typed as `"yes" or "no"` has quotes inside that are not escaped, and stays as it is.
 */
export function unquoted(prompt: string): string {
  const inside = prompt.slice(1, -1)
  const quotedByRun = prompt.length >= 2 && prompt.startsWith('"') && prompt.endsWith('"') && inside.includes(' ') && !/(^|[^\\])"/.test(inside)
  return quotedByRun ? inside.replaceAll('\\"', '"') : prompt
}

function textBlocks(part: Json, role: unknown): Block[] {
  const body = text(part.text) ?? ''
  // Text OpenCode wrote itself (a file an @-mention loaded, "continue" after a compaction).
  if (part.synthetic === true) return [event('synthetic', body)]
  return [{text: role === 'user' ? unquoted(body) : body, type: 'text'}]
}

/** The person's own words in a user message's parts, as the export shows them; null when it holds none. */
export function promptOf(parts: readonly Json[]): string | null {
  for (const part of parts) {
    if (part.type !== 'text' || part.ignored === true || part.synthetic === true) continue
    const said = unquoted(text(part.text) ?? '').trim()
    if (said) return said
  }

  return null
}

function retryText(part: Json): string {
  const error = isRecord(part.error) ? part.error : {}
  const data = isRecord(error.data) ? error.data : {}
  return `Retry ${String(part.attempt ?? '')}: ${text(data.message) ?? text(error.name) ?? 'the provider failed'}`.trim()
}

function subtaskText(part: Json): string {
  return `@${text(part.agent) ?? 'subagent'}: ${text(part.description) ?? ''}\n\n${text(part.prompt) ?? ''}`.trim()
}

/** One part as what it is: said, thought, done, attached, or something that happened. */
function renderPart(part: Json, role: unknown): Rendered | null {
  switch (part.type) {
    case 'text': {
      return part.ignored === true ? {blocks: [], results: []} : {blocks: textBlocks(part, role), results: []}
    }

    case 'reasoning': {
      const thought = text(part.text) ?? ''
      // Providers that encrypt their reasoning leave only the signature in the metadata.
      return {blocks: [{redacted: thought.trim() === '', text: thought, type: 'thinking'}], results: []}
    }

    case 'tool': {
      const {call, result} = toolExchange(part)
      return {blocks: [call], results: result}
    }

    case 'file': {
      return {blocks: [attachmentOf(part)], results: []}
    }

    case 'patch': {
      const files = Array.isArray(part.files) ? part.files.filter((file) => typeof file === 'string') : []
      return {blocks: files.length > 0 ? [event(FILES_CHANGED, files.join('\n'))] : [], results: []}
    }

    case 'agent': {
      return {blocks: [event('agent', `@${text(part.name) ?? ''}`)], results: []}
    }

    case 'subtask': {
      return {blocks: [event('subtask', subtaskText(part))], results: []}
    }

    case 'compaction': {
      return {blocks: [event('compaction', part.auto === true ? 'Context compaction (automatic)' : 'Context compaction requested')], results: []}
    }

    case 'retry': {
      return {blocks: [event('retry', retryText(part))], results: []}
    }

    case V2_EVENT: {
      return {blocks: [event(text(part.kind) ?? 'event', text(part.text) ?? '')], results: []}
    }

    default: {
      return BOOKKEEPING.has(String(part.type)) ? {blocks: [], results: []} : null
    }
  }
}

function errorText(info: Json): string | null {
  if (!isRecord(info.error)) return null
  const data = isRecord(info.error.data) ? info.error.data : {}
  const name = text(info.error.name) ?? 'Error'
  const message = text(data.message)
  return message ? `${name}: ${message}` : name
}

/**
 * The tokens and cost OpenCode recorded for an assistant message (a model call), null before it
 * recorded any (a step cut off while it streamed): its `output` leaves the reasoning out, as the
 * model's does. A model OpenCode has no price for costs 0, as a free one does: the two cannot be
 * told apart.
 */
export function callUsage(info: Json): Usage | null {
  const {tokens} = info
  if (!isRecord(tokens)) return null
  const cache = isRecord(tokens.cache) ? tokens.cache : {}
  return {cacheReadTokens: amount(cache.read), cacheWriteTokens: amount(cache.write), costUsd: amount(info.cost), inputTokens: amount(tokens.input), outputTokens: amount(tokens.output), reasoningTokens: amount(tokens.reasoning)}
}

function messageTime(info: Json, key: 'created' | 'completed'): string | null {
  return isRecord(info.time) ? isoTime(info.time[key]) : null
}

/**
 * One OpenCode message as the model's messages: the message itself, then a `tool` message
 * with the results of the tools it called (OpenCode keeps both in the same tool part).
 */
function convert(message: StoredMessage, ctx: ReaderContext, where: string): Message[] {
  const {info} = message
  const rendered = message.parts.map((part) => {
    const result = renderPart(part, info.role)
    if (!result) ctx.debug(`${where}: part ${String(part.id)} ${part.type === undefined ? 'without a type' : `of unknown type ${JSON.stringify(part.type)}`} skipped`)
    return result ?? {blocks: [], results: []}
  })
  let blocks = rendered.flatMap((part) => part.blocks)
  const results = rendered.flatMap((part) => part.results)
  const failure = errorText(info)
  if (failure) blocks.push(event('error', failure))
  else if (info.finish === 'length') blocks.push(ctx.kit.outputLimitEvent())

  const assistant = info.role === 'assistant'
  // A compaction's summary stands in for the conversation before it: an event of the kind the
  // other readers give a summary, so that one query finds every agent's.
  const summary = assistant && info.summary === true
  if (summary) blocks = blocks.map((block) => (block.type === 'text' ? event('compaction_summary', block.text) : block))
  // `system`: what happened rather than was said (OpenCode 2's markers, see v2.ts).
  const role = summary || info.role === 'system' ? 'system' : assistant ? 'assistant' : info.role === 'user' ? 'user' : null
  if (!role) {
    ctx.debug(`${where}: message ${message.id} ${info.role === undefined ? 'without a role' : `with unknown role ${JSON.stringify(info.role)}`} skipped`)
    return []
  }

  const messages: Message[] = []
  const timestamp = messageTime(info, 'created')
  if (blocks.length > 0) messages.push({blocks, id: message.id, model: assistant ? modelOf(info) : null, role, timestamp, usage: assistant ? callUsage(info) : null})
  if (results.length > 0) messages.push({blocks: results, id: null, model: null, role: 'tool', timestamp: messageTime(info, 'completed') ?? timestamp, usage: null})
  return messages
}

export function toMessages(messages: StoredMessage[], ctx: ReaderContext, where: string): Message[] {
  return messages.flatMap((message) => convert(message, ctx, where))
}
