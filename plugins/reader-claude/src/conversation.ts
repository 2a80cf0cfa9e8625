import path from 'node:path'
import type {Block, Message, ReaderContext, Role} from 'sessionsync'
import type {ApiUsage, ContentBlock, ConversationRecord} from './records.js'
import {fieldOf, stringField} from './records.js'
import {mediaAttachment, readToolResult} from './tool-results.js'
import {toolOutcome} from './tool-outcome.js'
import {noteResponseUsage, responseUsage} from './usage.js'
import {ideContext, readUserText, withoutReminders} from './user-text.js'

type EventBlock = Extract<Block, {type: 'event'}>

/** What the records of one thread say, in the session model's terms. */
export interface Conversation {
  messages: Message[]
  /** Per API message, the usage of its last streamed record (earlier ones hold partial counts). */
  usageByMessage: Map<string, ApiUsage>
  models: string[]
  branches: string[]
  cwd: string | null
  version: string | null
  entrypoint: string | null
  startedAt: string | null
  endedAt: string | null
  /** Tool call id → the agent id of the subagent it started (meta files first, then results). */
  spawnedAgents: Map<string, string>
  /**
   * Sessions named as the origin of copied requests (set on a fork's copied records) → how many
   * messages there were after the last record naming it: the copied part ends there.
   */
  requestSessions: Map<string, number>
  /** The record of the last slash command the person typed: a meta record under it is its expansion. */
  lastCommand: string | null
}

const SYNTHETIC_MODEL = '<synthetic>'
const IMAGE_REFERENCE = /\[Image: source: ([^\]\n]+)\]/g
/** System records that only time or instrument a turn. */
const QUIET_SYSTEM_SUBTYPES = new Set(['stop_hook_summary', 'turn_duration', 'run_facts', 'prompt_cache_break', 'session_start'])

/**
 * Turns the records of a thread into messages: one assistant message per API message (its
 * blocks were streamed as separate records), tool results as `tool` messages, harness text
 * as events, and everything Claude Code only keeps for itself left out.
 */
export async function buildConversation(records: readonly ConversationRecord[], sessionFolder: string, ctx: ReaderContext, knownSpawns: ReadonlyMap<string, string>): Promise<Conversation> {
  const conversation: Conversation = {
    branches: [],
    cwd: null,
    endedAt: null,
    entrypoint: null,
    lastCommand: null,
    messages: [],
    models: [],
    requestSessions: new Map(),
    spawnedAgents: new Map(knownSpawns),
    startedAt: null,
    usageByMessage: new Map(),
    version: null,
  }
  const byApiId = new Map<string, Message>()
  const add = (record: ConversationRecord, role: Role, blocks: Block[], model: string | null = null) => {
    if (blocks.length === 0) return undefined
    const last = conversation.messages.at(-1)
    // Parallel results of one turn arrive as separate records; they read as one tool message.
    if (role === 'tool' && last?.role === 'tool') {
      last.blocks.push(...blocks)
      return last
    }

    const message: Message = {blocks, id: record.uuid, model, role, timestamp: record.timestamp ?? null, usage: null}
    conversation.messages.push(message)
    return message
  }

  const addEvents = (record: ConversationRecord, events: EventBlock[]) => add(record, 'system', events)

  for (const record of records) {
    noteContext(conversation, record)
    switch (record.type) {
      case 'assistant':
        addAssistant(record, conversation, byApiId, add, ctx)
        break
      case 'user':
        await addUser(record, conversation, sessionFolder, add, ctx)
        break
      case 'system':
        addEvents(record, systemEvents(record, ctx))
        break
      case 'attachment':
        addAttachmentRecord(record, conversation, add, ctx)
        break
    }

    if (record.requestSessionId) conversation.requestSessions.set(record.requestSessionId, conversation.messages.length)
  }

  for (const message of conversation.messages) {
    // An assistant message is one API response, named by its id: its usage, counted once.
    const response = message.role === 'assistant' && message.id ? conversation.usageByMessage.get(message.id) : undefined
    if (response) message.usage = responseUsage(response)
    for (const block of message.blocks) {
      const agentId = block.type === 'tool_call' ? conversation.spawnedAgents.get(block.id) : undefined
      if (block.type === 'tool_call' && agentId) block.subagentId = subagentSessionId(agentId)
    }
  }

  return conversation
}

/**
 * The result of a tool the API ran itself (web search, web fetch, code execution, an MCP
 * server): the text it holds, else its content without the encrypted copies only the API can
 * read back. An `error_code` is the tool's failure.
 */
function serverToolResult(block: ContentBlock): Extract<Block, {type: 'tool_result'}> {
  const content = block.content
  const error = stringField(content, 'error_code')
  const items = Array.isArray(content) ? content : [content]
  const texts = items.map((item) => stringField(item, 'text'))
  const output = error ?? (texts.every((text) => text !== null) ? texts.join('\n') : JSON.stringify(content ?? null, (key, value: unknown) => (key.startsWith('encrypted_') ? undefined : value)))
  return {callId: String(block.tool_use_id ?? ''), output, type: 'tool_result', ...toolOutcome(error !== null || block.is_error === true, output, undefined)}
}

/** Subagents are sessions of their own, named after their agent id. */
export function subagentSessionId(agentId: string): string {
  return `agent-${agentId}`
}

type Add = (record: ConversationRecord, role: Role, blocks: Block[], model?: string | null) => Message | undefined

function noteContext(conversation: Conversation, record: ConversationRecord): void {
  if (record.type === 'progress') return
  conversation.cwd ??= record.cwd ?? null
  conversation.version = record.version ?? conversation.version
  conversation.entrypoint ??= record.entrypoint ?? null
  if (record.timestamp) {
    conversation.startedAt ??= record.timestamp
    conversation.endedAt = record.timestamp
  }

  // `HEAD` (detached, or no repository in recent versions) and "" name no branch.
  const branch = record.gitBranch
  if (branch && branch !== 'HEAD' && !conversation.branches.includes(branch)) conversation.branches.push(branch)
}

function addAssistant(record: ConversationRecord, conversation: Conversation, byApiId: Map<string, Message>, add: Add, ctx: ReaderContext): void {
  const message = record.message
  if (!message) return
  const content = message.content ?? []
  if (record.isApiErrorMessage) {
    add(record, 'system', [{kind: 'api_error', text: textOf(content), type: 'event'}])
    return
  }

  const blocks: Block[] = typeof content === 'string' ? [{text: content, type: 'text' as const}] : assistantBlocks(content, ctx)
  const model = message.model && message.model !== SYNTHETIC_MODEL ? message.model : null
  if (model && !conversation.models.includes(model)) conversation.models.push(model)
  const apiId = message.id
  if (apiId && message.usage) noteResponseUsage(conversation.usageByMessage, apiId, message.usage)

  const existing = apiId ? byApiId.get(apiId) : undefined
  if (existing) {
    markedLast(existing.blocks, blocks, message.stop_reason === 'max_tokens', ctx)
    return
  }

  const added = add(record, 'assistant', markedLast([], blocks, message.stop_reason === 'max_tokens', ctx), model)
  if (added && apiId) {
    added.id = apiId
    byApiId.set(apiId, added)
  }
}

/**
 * Appends a streamed record's blocks to its message's, keeping the mark of a reply cut at the
 * output limit last and once, whichever of the message's records carried the stop reason.
 */
function markedLast(blocks: Block[], more: Block[], limited: boolean, ctx: ReaderContext): Block[] {
  // Asked for every streamed record: the mark is made only where it is looked for or added.
  const last = blocks.at(-1)
  const wasMarked = last?.type === 'event' && last.kind === ctx.kit.outputLimitEvent().kind
  if (wasMarked) blocks.pop()
  blocks.push(...more)
  if (limited || wasMarked) blocks.push(ctx.kit.outputLimitEvent())
  return blocks
}

function assistantBlocks(content: ContentBlock[], ctx: ReaderContext): Block[] {
  return content.flatMap((block): Block[] => {
    switch (block.type) {
      case 'text':
        return typeof block.text === 'string' && block.text.trim() !== '' ? [{text: block.text, type: 'text'}] : []
      case 'thinking': {
        const thinking = typeof block.thinking === 'string' ? block.thinking : ''
        return [{redacted: thinking === '', text: thinking, type: 'thinking'}]
      }

      case 'redacted_thinking':
        return [{redacted: true, text: '', type: 'thinking'}]
      case 'tool_use':
      case 'server_tool_use':
        return [{id: String(block.id ?? ''), input: block.input ?? null, name: String(block.name ?? 'tool'), subagentId: null, type: 'tool_call'}]
      case 'mcp_tool_use':
        // Named as Claude Code names the tools of an MCP server it runs itself.
        return [{id: String(block.id ?? ''), input: block.input ?? null, name: `mcp__${stringField(block, 'server_name') ?? 'server'}__${stringField(block, 'name') ?? 'tool'}`, subagentId: null, type: 'tool_call'}]
      default:
        if (block.type.endsWith('_tool_result')) return [serverToolResult(block)]

        ctx.debug(`assistant content of type "${block.type}" left out`)
        return []
    }
  })
}

/** Origins of meta messages Claude Code shows as messages: channels, Slack, voice calls, observers, peer agents. */
const SHOWN_ORIGINS = new Set(['channel', 'observer', 'observer-activity', 'peer', 'slack-ping', 'voice-call'])

async function addUser(record: ConversationRecord, conversation: Conversation, sessionFolder: string, add: Add, ctx: ReaderContext): Promise<void> {
  const content = record.message?.content
  if (record.isCompactSummary) {
    add(record, 'system', [{kind: 'compaction_summary', text: textOf(content), type: 'event'}])
    return
  }

  // What a slash command the person typed expanded to: the instructions the model then followed.
  if (record.isMeta && isCommandExpansion(record, conversation)) {
    add(record, 'system', [{kind: 'command_prompt', text: withoutReminders(textOf(content)), type: 'event'}])
    return
  }

  // Skill bodies and caveats: input the harness wrote, not the person. Messages that reached the
  // session from elsewhere are meta too, and Claude Code shows them.
  if ((record.isMeta && !SHOWN_ORIGINS.has(record.origin?.kind ?? '')) || content === undefined) return
  const parts: ContentBlock[] = typeof content === 'string' ? [{text: content, type: 'text'}] : content
  const results: Block[] = []
  for (const part of parts) {
    if (part.type !== 'tool_result') continue
    const result = await readToolResult(part, record.toolUseResult, sessionFolder, ctx)
    results.push(...result.blocks)
    if (result.agentId && !conversation.spawnedAgents.has(String(part.tool_use_id))) conversation.spawnedAgents.set(String(part.tool_use_id), result.agentId)
  }

  add(record, 'tool', results)
  if (addSpoken(record, parts.filter((part) => part.type !== 'tool_result'), add, ctx).command) conversation.lastCommand = record.uuid
}

/** A meta record right after the record of a slash command the person typed: its expansion. */
function isCommandExpansion(record: ConversationRecord, conversation: Conversation): boolean {
  return conversation.lastCommand !== null && record.parentUuid === conversation.lastCommand
}

/** What the person sent (text and media), and the events Claude Code wrapped in its text's tags. */
function addSpoken(record: ConversationRecord, parts: ContentBlock[], add: Add, ctx: ReaderContext): {command: boolean} {
  let command = false
  const said: Block[] = []
  const events: EventBlock[] = []
  for (const part of parts) {
    if (part.type === 'text' && typeof part.text === 'string') {
      const ide = ideContext(part.text)
      if (ide) {
        said.push(selectionReference(ide.file, ide.lineStart, ide.lineEnd))
        continue
      }

      const text = readUserText(part.text)
      command ||= text.command === true
      if (text.said) said.push({text: text.said, type: 'text'}, ...imageReferences(text.said))
      events.push(...text.events)
    } else {
      const attachment = mediaAttachment(part)
      if (attachment) said.push(attachment)
      else ctx.debug(`user content of type "${part.type}" left out`)
    }
  }

  add(record, 'user', said)
  add(record, 'system', events)
  return {command}
}

/** Newer versions name a pasted image's cached copy in the prompt; the copy is a reference. */
function imageReferences(text: string): Block[] {
  return [...text.matchAll(IMAGE_REFERENCE)].map((match) => referenceTo(match[1].trim(), 'image'))
}

/** A file named with the lines selected in it, when known (`upload.test.ts:12-14`). */
function selectionReference(file: string, start: unknown, end: unknown): Block {
  const lines = typeof start === 'number' ? `:${start}${typeof end === 'number' && end !== start ? `-${end}` : ''}` : ''
  return referenceTo(file, 'file', `${path.basename(file)}${lines}`)
}

/** A file left where it is, linked by its path; `name` is what the link shows. */
function referenceTo(where: string, kind: 'image' | 'file', name = path.basename(where)): Block {
  return {data: null, kind, mimeType: null, name, path: where, type: 'attachment'}
}

/** "Retry 1 of 10: 529 Overloaded", from the API's error as Claude Code stored it (an SDK error's fields, or its body). */
function retryText(record: ConversationRecord): string {
  const body = fieldOf(record.error, 'error')
  const message = stringField(fieldOf(body, 'error'), 'message') ?? stringField(body, 'message') ?? stringField(record.error, 'message')
  const status = fieldOf(record.error, 'status')
  const of = record.maxRetries === undefined ? '' : ` of ${record.maxRetries}`
  return `Retry ${record.retryAttempt}${of}: ${typeof status === 'number' ? `${status} ` : ''}${message || 'the request failed'}`
}

function systemEvents(record: ConversationRecord, ctx: ReaderContext): EventBlock[] {
  const content = typeof record.content === 'string' ? record.content : ''
  const event = (kind: string, text: string): EventBlock[] => [{kind, text, type: 'event'}]
  switch (record.subtype) {
    case 'compact_boundary': {
      const details = record.compactMetadata ?? {}
      const facts = [details.trigger ?? null, details.preTokens === undefined ? null : `${details.preTokens} tokens before`].filter(Boolean)
      return event('compaction', `Conversation compacted${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`)
    }

    case 'microcompact_boundary':
      return event('microcompaction', content || 'Older tool results cleared from the context')
    case 'local_command': {
      const text = readUserText(content)
      return [...(text.said ? [{kind: 'command', text: text.said, type: 'event' as const}] : []), ...text.events]
    }

    case 'api_error': {
      // Claude Code writes one as it retries a failed request; the request that fails for good is an assistant message.
      return record.retryAttempt === undefined ? (content ? event('api_error', content) : []) : event('retry', retryText(record))
    }

    case 'informational':
    case 'away_summary':
      return content ? event(record.subtype, content) : []
    case 'bridge_status':
      // `/remote-control`: where the session could be continued (a phone, claude.ai/code).
      return content ? event('remote_control', content) : []
    default:
      if (!QUIET_SYSTEM_SUBTYPES.has(record.subtype ?? '')) ctx.debug(record.subtype === undefined ? 'system record without a subtype left out' : `system record of subtype "${record.subtype}" left out`)
      return []
  }
}

/**
 * The attachment types `addAttachmentRecord` shows: loading keeps the content of these alone.
 * The rest, injected for the model (prompts, skills, environment), is never shown.
 */
export const SHOWN_ATTACHMENTS = new Set(['file', 'directory', 'pdf_reference', 'selected_lines_in_ide', 'queued_command', 'hook_blocking_error', 'hook_system_message'])

/**
 * `attachment` records are context Claude Code injected for the model. Files the person
 * mentioned or selected, prompts queued while the agent worked, hooks that stopped it and what
 * hooks told the person are part of the conversation; the rest (environment, skills,
 * reminders) is the harness talking to itself.
 */
function addAttachmentRecord(record: ConversationRecord, conversation: Conversation, add: Add, ctx: ReaderContext): void {
  const attachment = record.attachment
  if (!attachment) return
  if (attachment.type === 'queued_command') {
    addSpoken(record, queuedPrompt(attachment), add, ctx)
    return
  }

  if (attachment.type === 'hook_blocking_error') {
    add(record, 'system', [{kind: 'hook_error', text: hookErrorText(attachment), type: 'event'}])
    return
  }

  // What a hook told the person (its `systemMessage`), shown in Claude Code under the turn.
  const hookMessage = attachment.type === 'hook_system_message' ? stringField(attachment, 'content')?.trim() : null
  if (hookMessage) {
    add(record, 'system', [{kind: 'hook_message', text: `${hookNamed(attachment)}: ${hookMessage}`, type: 'event'}])
    return
  }

  const reference = fileReference(attachment)
  if (!reference) return
  const last = conversation.messages.at(-1)
  if (last?.role === 'user') last.blocks.push(reference)
  else add(record, 'user', [reference])
}

/**
 * A file or folder the person pointed at with their prompt: one they mentioned (`@file`), or
 * the lines they had selected in their IDE, named with the lines.
 */
function fileReference(attachment: Record<string, unknown>): Block | null {
  const reference = (where: string | null) => (where ? referenceTo(where, 'file') : null)
  switch (attachment.type) {
    case 'file':
      return mentionedFile(attachment) ?? reference(stringField(attachment, 'filename'))
    case 'pdf_reference':
      return reference(stringField(attachment, 'filename'))
    case 'directory':
      return reference(stringField(attachment, 'path'))
    case 'selected_lines_in_ide': {
      const file = stringField(attachment, 'filename')
      return file ? selectionReference(file, attachment.lineStart, attachment.lineEnd) : null
    }

    default:
      return null
  }
}

/**
 * A file mentioned with `@`, with the content the model was given (the file may have changed or
 * gone since): text, or an image. It becomes a file beside the export; null for other content.
 */
function mentionedFile(attachment: Record<string, unknown>): Block | null {
  const content = fieldOf(attachment, 'content')
  const file = fieldOf(content, 'file')
  const where = stringField(file, 'filePath') ?? stringField(attachment, 'filename')
  if (!where) return null
  const name = path.basename(where)
  const text = stringField(file, 'content')
  if (stringField(content, 'type') === 'text' && text !== null) {
    return {data: Buffer.from(text, 'utf8').toString('base64'), kind: 'file', mimeType: 'text/plain', name, path: null, type: 'attachment'}
  }

  const image = stringField(file, 'base64')
  if (stringField(content, 'type') === 'image' && image !== null) {
    return {data: image, kind: 'image', mimeType: stringField(file, 'type'), name, path: null, type: 'attachment'}
  }

  return null
}

/**
 * A prompt queued while the agent worked: text or blocks (a pasted image), typed as a shell
 * command in `!` mode (`commandMode: "bash"`), or a background task's notice.
 */
function queuedPrompt(attachment: Record<string, unknown>): ContentBlock[] {
  const prompt = attachment.prompt
  const parts: ContentBlock[] = typeof prompt === 'string' ? [{text: prompt, type: 'text'}] : Array.isArray(prompt) ? prompt.filter((part): part is ContentBlock => typeof stringField(part, 'type') === 'string') : []
  if (attachment.commandMode !== 'bash') return parts
  // Tagged as Claude Code stores a `!` command typed at an idle prompt, so it reads the same.
  return parts.map((part) => (part.type === 'text' && typeof part.text === 'string' ? {...part, text: `<bash-input>${part.text}</bash-input>`} : part))
}

/**
 * Which hook stopped the agent, and its message: in `blockingError.blockingError` (2.1.2xx), as
 * Claude Code feeds it back to the model, or in the hook's own output fields.
 */
function hookErrorText(attachment: Record<string, unknown>): string {
  const blocking = attachment.blockingError
  const message = stringField(blocking, 'blockingError') ?? (typeof blocking === 'string' ? blocking : null) ?? stringField(attachment, 'content') ?? stringField(attachment, 'stderr') ?? ''
  const command = stringField(blocking, 'command') ?? stringField(attachment, 'command')
  const source = [hookNamed(attachment), command ? `(${command})` : null].filter(Boolean).join(' ')
  return `${source}: ${message.trim() || 'blocked without a message'}`
}

/** The hook an attachment is about, as Claude Code names it (`Stop hook`, `PostToolUse:Bash hook`). */
function hookNamed(attachment: Record<string, unknown>): string {
  const hook = stringField(attachment, 'hookName') ?? stringField(attachment, 'hookEvent')
  return hook ? `${hook} hook` : 'A hook'
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((block) => stringField(block, 'text') ?? '').filter(Boolean).join('\n')
}
