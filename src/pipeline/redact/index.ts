import type {Block, Session} from '../../model/session.js'
import {createRedactor, type StringRedactor} from './scanner.js'

/**
 * Returns a copy of the session with secrets replaced by `[REDACTED:<rule>]` in everything a
 * person or tool wrote, and how many were found per rule. Attachment data and the session's
 * identity (ids, paths, workspace) are left alone; the given session is not changed.
 */
export function redactSession(session: Session): {session: Session; counts: Record<string, number>} {
  const counts: Record<string, number> = {}
  const redact = createRedactor(counts)
  const redacted: Session = {
    ...session,
    title: redact(session.title),
    summary: session.summary === null ? null : redact(session.summary),
    messages: session.messages.map((message) => ({...message, blocks: message.blocks.map((block) => redactBlock(block, redact))})),
    extra: redactDeep(session.extra, redact) as Record<string, unknown>,
  }
  return {session: redacted, counts}
}

/** Any JSON-like value with its secrets replaced, for what sessionsync keeps beside the exports. */
export function redactValue<T>(value: T): T {
  return redactDeep(value, createRedactor({})) as T
}

function redactBlock(block: Block, redact: StringRedactor): Block {
  switch (block.type) {
    case 'text':
    case 'thinking':
    case 'event':
      return {...block, text: redact(block.text)}
    case 'tool_call':
      return {...block, input: redactDeep(block.input, redact)}
    case 'tool_result':
      return {...block, output: redact(block.output)}
    case 'attachment':
      return block
  }
}

/** Every string value in nested arrays and objects; keys stay. */
function redactDeep(value: unknown, redact: StringRedactor): unknown {
  if (typeof value === 'string') return redact(value)
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]))
  }
  return value
}
