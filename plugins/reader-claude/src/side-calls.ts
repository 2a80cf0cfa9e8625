import path from 'node:path'
import type {Message, ReaderContext} from 'sessionsync'
import type {Conversation} from './conversation.js'
import type {ApiUsage, ConversationRecord} from './records.js'
import {loadTranscript, recordsOf} from './transcript.js'
import {noteResponseUsage, responseUsage} from './usage.js'
import {withoutReminders} from './user-text.js'

/** What one of Claude Code's own model calls did, from its `agent-a<label>-<id>.jsonl` file. */
interface SideCall {
  /** Per API message of the call itself, its usage. */
  usage: Map<string, ApiUsage>
  /** A `/btw` side question, with its answer; null for the other calls. */
  sideQuestion: Message | null
}

/**
 * Adds to a main session what Claude Code's side calls did: each call's tokens, and each `/btw`
 * side question as a message at its time. Earlier versions wrote these files; 2.1.332 writes
 * none (it keeps side questions in memory only).
 */
export async function addSideCalls(conversation: Conversation, sideCallFiles: readonly string[], ctx: ReaderContext): Promise<void> {
  for (const file of sideCallFiles) {
    const call = await readSideCall(file, ctx)
    for (const [id, usage] of call.usage) conversation.usageByMessage.set(id, usage)
    if (call.sideQuestion) insertByTime(conversation, call.sideQuestion)
  }
}

/**
 * A side call's file replays the conversation it was forked from (records with their original
 * ids and request ids), then holds its prompt and the model's reply: the call is what follows
 * the last prompt that is not a tool result.
 */
async function readSideCall(file: string, ctx: ReaderContext): Promise<SideCall> {
  const records = recordsOf([...(await loadTranscript(file, ctx, {keepContent: true})).nodes.values()])
  const promptAt = records.findLastIndex((record) => record.type === 'user' && promptText(record) !== null)
  const replies = records.slice(promptAt + 1).filter((record) => record.type === 'assistant' && record.message?.id)
  const usage = new Map<string, ApiUsage>()
  for (const reply of replies) if (reply.message?.id && reply.message.usage) noteResponseUsage(usage, reply.message.id, reply.message.usage)

  const prompt = records[promptAt]
  const isSideQuestion = path.basename(file).startsWith('agent-aside_question-')
  return {sideQuestion: isSideQuestion && prompt ? sideQuestionOf(prompt, replies, usage, ctx) : null, usage}
}

/** The question without Claude Code's instructions around it, and the answer's text. */
function sideQuestionOf(prompt: ConversationRecord, replies: ConversationRecord[], usage: Map<string, ApiUsage>, ctx: ReaderContext): Message {
  const answer = replies.flatMap((reply) => textsOf(reply.message?.content)).join('\n\n')
  return {
    blocks: [
      {kind: 'side_question', text: withoutReminders(promptText(prompt)!), type: 'event'},
      ...(answer ? [{kind: 'side_question_answer', text: answer, type: 'event' as const}] : []),
    ],
    id: prompt.uuid,
    model: replies.find((reply) => reply.message?.model)?.message?.model ?? null,
    role: 'system',
    timestamp: prompt.timestamp ?? null,
    usage: usage.size > 0 ? ctx.kit.totalUsage([...usage.values()].map(responseUsage)) : null,
  }
}

/** A user record's text, unless it holds tool results (what a call's own turn may add). */
function promptText(record: ConversationRecord): string | null {
  const content = record.message?.content
  if (typeof content === 'string') return content
  if (!Array.isArray(content) || content.some((block) => block.type === 'tool_result')) return null
  return textsOf(content).join('\n\n')
}

function textsOf(content: unknown): string[] {
  if (typeof content === 'string') return [content]
  return Array.isArray(content) ? content.flatMap((block: {type?: unknown; text?: unknown}) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : [])) : []
}

/** After every message of its time or earlier: a side question is asked while the turn goes on. */
function insertByTime(conversation: Conversation, message: Message): void {
  const time = message.timestamp
  const next = time === null ? -1 : conversation.messages.findIndex((other) => other.timestamp !== null && other.timestamp > time)
  if (next === -1) conversation.messages.push(message)
  else conversation.messages.splice(next, 0, message)
  if (time !== null && (conversation.endedAt === null || time > conversation.endedAt)) conversation.endedAt = time
}
