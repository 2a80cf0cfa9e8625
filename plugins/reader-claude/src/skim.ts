import {isUtf8} from 'node:buffer'
import {SHOWN_ATTACHMENTS} from './conversation.js'
import {longStringsOf} from './long-strings.js'

/** Smaller lines are parsed whole: skimming them would save little. */
const SKIMMED_FROM_BYTES = 8 * 1024
/** The fields before an attachment's payload (parent, sidechain, agent) fit in this. */
const HEAD_BYTES = 1024
const PAYLOAD_START = Buffer.from(',"attachment":{"type":"')
const PAYLOAD_END = Buffer.from('},"type":"attachment",')
const QUOTE = 0x22
const TOOL_USE_RESULT = Buffer.from(',"toolUseResult":')
/** A tool result's structured copy holds its output, whole files (read, or before an edit), images: their texts are left unread from this length on. */
const UNREAD_FROM_BYTES = 1024
/** Of the structured result, these are read however long: `ConversationRecordSchema` keeps them. */
const READ_WHOLE = new Set(['agentId', 'persistedOutputPath'])
/** Stands for a text left unread. A text of the agent's that read the same would make the count of them wrong, and the line is then parsed whole. */
const UNREAD = '\u0000 left unread by sessionsync'
const UNREAD_JSON = Buffer.from(JSON.stringify(UNREAD))

/** What is read of a large line in place of parsing it whole; undefined: parse it whole. */
export function skimmedRecord(bytes: Buffer): Record<string, unknown> | undefined {
  return skimmedAttachment(bytes) ?? skimmedToolResult(bytes)
}

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

/**
 * A tool result's record with the long texts of its structured copy (`toolUseResult`) left unread:
 * its output, again, and whole files, often half of a session's bytes. Only the agent it names, where
 * its output was saved, how long it ran and whether it was stopped are read of that copy. Undefined
 * when the line has no such copy, or is not valid UTF-8 or JSON (parsed whole, it is told as such),
 * or when the key found is not the record's own.
 */
export function skimmedToolResult(bytes: Buffer): Record<string, unknown> | undefined {
  if (bytes.length < SKIMMED_FROM_BYTES) return undefined
  const key = bytes.indexOf(TOOL_USE_RESULT)
  if (key === -1) return undefined
  const found = longStringsOf(bytes, key + TOOL_USE_RESULT.length, UNREAD_FROM_BYTES, READ_WHOLE)
  if (found === null || found.ranges.length === 0 || !isUtf8(bytes)) return undefined
  const pieces: Buffer[] = []
  let from = 0
  for (let index = 0; index < found.ranges.length; index += 2) {
    pieces.push(bytes.subarray(from, found.ranges[index]), UNREAD_JSON)
    from = found.ranges[index + 1]
  }

  pieces.push(bytes.subarray(from))
  const record = objectOf(Buffer.concat(pieces).toString('utf8'))
  // A key of that name deeper in the record (a progress record's copy of a message) is not its own.
  return record && unreadIn(record.toolUseResult) === found.ranges.length / 2 ? record : undefined
}

/** How many texts of `value` stand for one left unread. */
function unreadIn(value: unknown): number {
  if (value === UNREAD) return 1
  if (typeof value !== 'object' || value === null) return 0
  let count = 0
  for (const item of Object.values(value)) count += unreadIn(item)
  return count
}

function objectOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}
