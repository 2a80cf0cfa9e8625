import type {Message, ReaderContext, Session, Usage} from 'sessionsync'
import type {Conversation} from './conversation.js'
import {workspaceOf} from './project-folder.js'
import type {Thread} from './thread.js'
import type {TranscriptMetadata} from './transcript.js'
import {responseUsage} from './usage.js'
import {promptTitle} from './user-text.js'

export interface SessionParts {
  id: string
  file: string
  /** The project folder the file is in. */
  projectFolder: string
  conversation: Conversation
  thread: Thread
  metadata: TranscriptMetadata | null
  parentId: string | null
  parentToolCallId: string | null
  /** A name given outside the transcript: a subagent's task description. */
  name: string | null
  /** Agent-specific facts for `extra` (subagent type, description). */
  extra: Record<string, unknown>
}

/** Claude Code's tools that write files, with the input field naming the file (a shell command's changes are not recorded). */
const FILE_CHANGES = {tools: {Edit: 'file_path', MultiEdit: 'file_path', NotebookEdit: 'notebook_path', Write: 'file_path'}}

/** The normalized session from what one thread of a transcript said. */
export function toSession(parts: SessionParts, ctx: ReaderContext): Session {
  const {conversation, metadata, thread} = parts
  const branches = conversation.branches
  const recorded = metadata?.relocatedCwd ?? conversation.cwd
  const workspace = recorded && workspaceOf(recorded, parts.projectFolder, ctx)
  // A fork's copied records name the session they were copied from; its own records do not.
  const copied = parts.parentId === null ? [...conversation.requestSessions].filter(([id]) => id !== parts.id) : []
  const copiedMessages = copied.length > 0 ? Math.max(...copied.map(([, messages]) => messages)) : null
  return {
    agent: 'claude',
    // The copies keep the original's times: a fork began with its first message of its own, as
    // Pi and OpenCode date theirs (with none yet, after the last copy).
    createdAt: copiedMessages === null ? conversation.startedAt : (conversation.messages[copiedMessages]?.timestamp ?? conversation.endedAt),
    extra: {
      ...parts.extra,
      ...(conversation.entrypoint ? {entrypoint: conversation.entrypoint} : {}),
      ...(metadata?.tags.length ? {tags: metadata.tags} : {}),
      ...(metadata?.lastPrompt ? {lastPrompt: metadata.lastPrompt} : {}),
      ...(thread.abandonedLeaves.length > 0 ? {abandonedBranches: thread.abandonedLeaves.length} : {}),
      // The folder it ran in, when the project has moved since (its paths name that folder).
      ...(recorded !== workspace ? {movedFrom: recorded} : {}),
    },
    copiedMessages,
    // A fork's copies changed nothing: the original did.
    filesChanged: ctx.kit.changedFiles(conversation.messages.slice(copiedMessages ?? 0), FILE_CHANGES, recorded, workspace),
    forkedFrom: copied[0]?.[0] ?? null,
    gitBranch: {first: branches[0] ?? null, last: branches.at(-1) ?? null, readAtExport: false, seen: branches},
    id: parts.id,
    messages: conversation.messages,
    models: conversation.models,
    parentId: parts.parentId,
    parentToolCallId: parts.parentToolCallId,
    schemaVersion: 1,
    source: {agentVersion: conversation.version, path: parts.file},
    summary: summaryOf(metadata, thread),
    title: titleOf(metadata, thread, conversation.messages, parts.name),
    updatedAt: conversation.endedAt,
    usage: usageOf(conversation, parts.parentId === null ? (metadata?.costUsd ?? null) : null, ctx),
    workspace,
  }
}

/** Claude Code's own order: the user's name for it, the AI title, the summary, the first prompt. */
function titleOf(metadata: TranscriptMetadata | null, thread: Thread, messages: Message[], name: string | null): string {
  return metadata?.customTitle ?? metadata?.aiTitle ?? name ?? summaryOf(metadata, thread) ?? firstPrompt(messages) ?? metadata?.lastPrompt ?? ''
}

/** The legacy summary of the thread exported, else the last one written. */
function summaryOf(metadata: TranscriptMetadata | null, thread: Thread): string | null {
  if (!metadata || metadata.summaries.length === 0) return null
  const onThread = new Set(thread.nodes.map((node) => node.uuid))
  return (metadata.summaries.findLast((entry) => entry.leafUuid !== null && onThread.has(entry.leafUuid)) ?? metadata.summaries.at(-1))!.summary
}

/**
 * The title line of the first prompt. A slash command the model never answered (`/clear`, with
 * which a session begins after clearing, `/ide`) is passed over while a prompt follows.
 */
function firstPrompt(messages: Message[]): string | null {
  let command: string | null = null
  for (const [index, message] of messages.entries()) {
    const text = message.role === 'user' ? message.blocks.find((block) => block.type === 'text') : undefined
    if (text?.type !== 'text') continue
    const title = promptTitle(text.text)
    if (!title.startsWith('/') || answered(messages, index)) return title
    command ??= title
  }

  return command
}

/** Whether the model replied to the user message at `index` before the person spoke again. */
function answered(messages: Message[], index: number): boolean {
  for (let next = index + 1; next < messages.length; next++) {
    const {role} = messages[next]
    if (role === 'user' || role === 'assistant') return role === 'assistant'
  }

  return false
}

/**
 * The tokens of every API response of the thread, each once, and the cost Claude Code recorded
 * for its process: the messages' usage summed, but for the cost, which no message has, and the
 * tokens of a response that left nothing to show (no message holds them).
 */
function usageOf(conversation: Conversation, costUsd: number | null, ctx: ReaderContext): Usage | null {
  if (conversation.usageByMessage.size === 0 && costUsd === null) return null
  return {...ctx.kit.totalUsage([...conversation.usageByMessage.values()].map(responseUsage)), costUsd}
}
