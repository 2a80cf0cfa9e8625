import {SHOWN_ATTACHMENTS} from './conversation.js'

/** Smaller lines are parsed whole: skimming them would save little. */
const SKIMMED_FROM_BYTES = 8 * 1024
/** The fields before an attachment's payload (parent, sidechain, agent) fit in this. */
const HEAD_BYTES = 1024
const PAYLOAD_START = Buffer.from(',"attachment":{"type":"')
const PAYLOAD_END = Buffer.from('},"type":"attachment",')
const QUOTE = 0x22

/**
 * A large attachment record that is never shown (a snapshot of the prompt, a listing of skills:
 * up to 100 KB each in 2.1.3xx), read from the fields before and after its payload alone: its
 * place in the conversation graph is all that is kept of it, and it has one (a reply's parent may
 * be a snapshot). Undefined for any other line, or when the fields are not where Claude Code
 * writes them: that line is parsed whole.
 */
export function skimmedAttachment(bytes: Buffer): Record<string, unknown> | undefined {
  if (bytes.length < SKIMMED_FROM_BYTES) return undefined
  const start = bytes.subarray(0, HEAD_BYTES).indexOf(PAYLOAD_START)
  if (start === -1) return undefined
  const kindStart = start + PAYLOAD_START.length
  const kindEnd = bytes.indexOf(QUOTE, kindStart)
  const kind = bytes.toString('utf8', kindStart, kindEnd)
  if (kindEnd === -1 || SHOWN_ATTACHMENTS.has(kind)) return undefined
  const end = bytes.lastIndexOf(PAYLOAD_END)
  if (end <= kindEnd) return undefined
  // Each part parses alone only if it is the record's own first or last fields: a match inside
  // the payload would leave braces unbalanced.
  const head = objectOf(`${bytes.toString('utf8', 0, start)}}`)
  const tail = objectOf(`{${bytes.toString('utf8', end + 2)}`)
  return head && tail && tail.type === 'attachment' && typeof tail.uuid === 'string' ? {...head, ...tail, attachment: {type: kind}} : undefined
}

function objectOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
