import type {Block, Session, ToolCallBlock, ToolResultBlock} from '../model/session.js'

/**
 * A call the session holds no result for had not ended when the session was read: the agent quit
 * during it, or is still running it (an export made while the agent works). It is given a result
 * that says so, right after it, as OpenCode records of such a call itself: every call in an export
 * then tells how it ended, whichever agent wrote the session.
 */
export function withUnfinishedCalls(session: Session): Session {
  const answered = new Set<string>()
  for (const message of session.messages) {
    for (const block of message.blocks) if (block.type === 'tool_result') answered.add(block.callId)
  }

  const unanswered = (block: Block): block is ToolCallBlock => block.type === 'tool_call' && !answered.has(block.id)
  if (!session.messages.some((message) => message.blocks.some(unanswered))) return session
  return {
    ...session,
    messages: session.messages.map((message) =>
      message.blocks.some(unanswered) ? {...message, blocks: message.blocks.flatMap((block): Block[] => (unanswered(block) ? [block, unfinished(block.id)] : [block]))} : message,
    ),
  }
}

function unfinished(callId: string): ToolResultBlock {
  return {callId, durationMs: null, exitCode: null, isError: true, output: '', status: 'unfinished', type: 'tool_result'}
}
