import type {AttachmentBlock, Block, Session} from '../../model/session.js'
import {createRedactor, type StringRedactor} from './scanner.js'

/**
 * Returns a copy of the session with secrets replaced by `[REDACTED:<rule>]` in everything a
 * person or tool wrote (text attachments included), and how many were found per rule. Images and
 * other binary attachments, and the session's identity (ids, paths, workspace), are left alone;
 * the given session is not changed.
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
      return redactedText(block, redact) ?? block
  }
}

/**
 * An inline attachment of text (a file the person mentioned, as the agent stored it) with its
 * secrets replaced; null for any other, or when it holds none (its bytes are then kept exactly).
 */
function redactedText(block: AttachmentBlock, redact: StringRedactor): Block | null {
  if (block.data === null || !isText(block.mimeType)) return null
  const text = Buffer.from(block.data, 'base64').toString('utf8')
  const redacted = redact(text)
  return redacted === text ? null : {...block, data: Buffer.from(redacted, 'utf8').toString('base64')}
}

function isText(mimeType: string | null): boolean {
  return mimeType !== null && (/^text\//.test(mimeType) || /^application\/(?:json|xml|javascript|x-yaml|yaml|toml|x-sh|x-httpd-php)$|\+(?:json|xml)$/.test(mimeType.split(';')[0].trim()))
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
