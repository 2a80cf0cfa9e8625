import type {SessionCounts} from '../model/counts.js'
import type {Session} from '../model/session.js'
import {titleFromPrompt} from '../kit/one-line.js'
import type {SessionFacts} from './state.js'

/** How much the session holds: counted on the session as read, before its export is shaped. */
export function countsOf(session: Session): SessionCounts {
  const tools = toolCounts(session.messages)
  const ownTools = session.copiedMessages ? toolCounts(session.messages.slice(session.copiedMessages)) : tools
  return {messages: session.messages.length, ownTools, toolCalls: Object.values(tools).reduce((sum, count) => sum + count, 0), tools}
}

/** What the index and `list` keep of a session after exporting it: the exported session, with the counts of the one read. */
export function factsOf(session: Session, counts: SessionCounts): SessionFacts {
  return {
    ...counts,
    agent: session.agent,
    branch: session.gitBranch.last ?? session.gitBranch.first,
    copiedMessages: session.copiedMessages,
    createdAt: session.createdAt,
    filesChanged: session.filesChanged,
    firstPrompt: firstPrompt(session),
    forkedFrom: session.forkedFrom,
    id: session.id,
    models: session.models,
    parentId: session.parentId,
    summary: session.summary,
    title: session.title,
    updatedAt: session.updatedAt,
    usage: session.usage,
    workspace: session.workspace,
  }
}

/** Calls per tool, the most called first: what a study of tool use across sessions sums up. */
function toolCounts(messages: Session['messages']): Record<string, number> {
  const counts = new Map<string, number>()
  for (const message of messages) for (const block of message.blocks) if (block.type === 'tool_call') counts.set(block.name, (counts.get(block.name) ?? 0) + 1)
  return Object.fromEntries([...counts].sort(([nameA, a], [nameB, b]) => b - a || nameA.localeCompare(nameB)))
}

/** A session without a title gets the first thing the user asked, on one line. */
export function withTitle(session: Session): Session {
  return session.title.trim() ? session : {...session, title: firstPrompt(session) ?? ''}
}

function firstPrompt(session: Session): string | null {
  for (const message of session.messages) {
    if (message.role !== 'user') continue
    const text = message.blocks.find((block) => block.type === 'text' && block.text.trim())
    if (text?.type === 'text') return titleFromPrompt(text.text)
  }

  return null
}
