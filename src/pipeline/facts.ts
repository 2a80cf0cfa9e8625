import type {Session} from '../model/session.js'
import type {SessionFacts} from './state.js'

const PROMPT_LENGTH = 160

/** What the index and `list` keep of a session after exporting it. */
export function factsOf(session: Session): SessionFacts {
  return {
    agent: session.agent,
    branch: session.gitBranch.last ?? session.gitBranch.first,
    copiedMessages: session.copiedMessages,
    createdAt: session.createdAt,
    filesChanged: session.filesChanged,
    firstPrompt: firstPrompt(session),
    forkedFrom: session.forkedFrom,
    id: session.id,
    messages: session.messages.length,
    parentId: session.parentId,
    summary: session.summary,
    title: session.title,
    toolCalls: session.messages.reduce((count, message) => count + message.blocks.filter((block) => block.type === 'tool_call').length, 0),
    updatedAt: session.updatedAt,
    workspace: session.workspace,
  }
}

/** A session without a title gets the first thing the user asked, on one line. */
export function withTitle(session: Session): Session {
  return session.title.trim() ? session : {...session, title: firstPrompt(session) ?? ''}
}

function firstPrompt(session: Session): string | null {
  for (const message of session.messages) {
    if (message.role !== 'user') continue
    const text = message.blocks.find((block) => block.type === 'text' && block.text.trim())
    if (text?.type === 'text') return oneLine(text.text, PROMPT_LENGTH)
  }

  return null
}

export function oneLine(text: string, maxLength: number): string {
  const line = text.replaceAll(/\s+/g, ' ').trim()
  return line.length > maxLength ? `${line.slice(0, maxLength - 1).trimEnd()}…` : line
}
