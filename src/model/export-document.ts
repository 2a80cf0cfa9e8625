import {z} from 'zod'
import {type Block, type Message, RoleSchema, SCHEMA_VERSION, type Session, SessionSchema} from './session.js'

/**
 * The document the JSON and TOON exports carry: the session model with its messages and
 * content blocks as two tables, rows of primitive fields only. TOON writes such arrays as
 * tables (field names once, then one line a row), which is where it saves tokens over JSON;
 * nested, differently shaped blocks would leave it nothing to save.
 */
export const EXPORT_SCHEMA_VERSION = 2

export const MessageRowSchema = z.object({
  id: z.string().nullable(),
  role: RoleSchema,
  timestamp: z.string().nullable(),
  model: z.string().nullable(),
})

/** One content block. Fields a block's type has no use for are null. */
export const BlockRowSchema = z.object({
  /** Row number (from 0) of the block's message in `messages`. */
  message: z.number().int().nonnegative(),
  type: z.enum(['text', 'thinking', 'tool_call', 'tool_result', 'attachment', 'event']),
  /** What was said or thought, a tool's output, or what happened (an event). */
  text: z.string().nullable(),
  /** The tool called, or the attachment's file name. */
  name: z.string().nullable(),
  /** The tool call's id, on the call and on its result. */
  callId: z.string().nullable(),
  /** The tool call's input, as JSON text (as model APIs pass tool arguments). */
  input: z.string().nullable(),
  isError: z.boolean().nullable(),
  subagentId: z.string().nullable(),
  /** An attachment's kind (image, file) or an event's (compaction, …). */
  kind: z.string().nullable(),
  mimeType: z.string().nullable(),
  /** Where an attachment is; inline content the export did not move into a file is a `data:` URI. */
  path: z.string().nullable(),
  /** Thinking the provider withheld or encrypted. */
  redacted: z.boolean().nullable(),
})

const {messages: _messages, schemaVersion: _version, extra: _extra, ...metadata} = SessionSchema.shape

export const ExportDocumentSchema = z.object({
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  ...metadata,
  messages: z.array(MessageRowSchema),
  blocks: z.array(BlockRowSchema),
  extra: SessionSchema.shape.extra,
})

export type MessageRow = z.infer<typeof MessageRowSchema>
export type BlockRow = z.infer<typeof BlockRowSchema>
export type ExportDocument = z.infer<typeof ExportDocumentSchema>

export function toExportDocument(session: Session): ExportDocument {
  const {messages, schemaVersion: _model, extra, ...rest} = session
  const blocks: BlockRow[] = []
  for (const [index, message] of messages.entries()) for (const block of message.blocks) blocks.push(blockRow(block, index))
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    ...rest,
    messages: messages.map(({id, role, timestamp, model}) => ({id, role, timestamp, model})),
    blocks,
    extra,
  }
}

function blockRow(block: Block, message: number): BlockRow {
  // One literal with every field, then filled in: a row per block of a long session, and
  // spreading a template into each would cost several times more.
  const row: BlockRow = {message, type: block.type, text: null, name: null, callId: null, input: null, isError: null, subagentId: null, kind: null, mimeType: null, path: null, redacted: null}
  switch (block.type) {
    case 'text': {
      row.text = block.text
      break
    }

    case 'thinking': {
      row.text = block.text
      row.redacted = block.redacted
      break
    }

    case 'tool_call': {
      row.callId = block.id
      row.input = JSON.stringify(block.input ?? null)
      row.name = block.name
      row.subagentId = block.subagentId
      break
    }

    case 'tool_result': {
      row.callId = block.callId
      row.isError = block.isError
      row.text = block.output
      break
    }

    case 'event': {
      row.kind = block.kind
      row.text = block.text
      break
    }

    case 'attachment': {
      row.kind = block.kind
      row.mimeType = block.mimeType
      row.name = block.name
      row.path = block.data === null ? block.path : `data:${block.mimeType ?? ''};base64,${block.data}`
      break
    }
  }

  return row
}

/** The session model back from an export document: every field survives the round trip. */
export function fromExportDocument(document: ExportDocument): Session {
  const {messages, blocks, schemaVersion: _export, extra, ...rest} = document
  const rebuilt: Message[] = messages.map((message) => ({...message, blocks: []}))
  for (const row of blocks) rebuilt[row.message]?.blocks.push(blockOf(row))
  return {schemaVersion: SCHEMA_VERSION, ...rest, messages: rebuilt, extra}
}

function blockOf(row: BlockRow): Block {
  const text = row.text ?? ''
  switch (row.type) {
    case 'text': return {type: 'text', text}
    case 'thinking': return {type: 'thinking', text, redacted: row.redacted ?? false}
    case 'tool_call': return {type: 'tool_call', id: row.callId ?? '', name: row.name ?? '', input: row.input === null ? null : JSON.parse(row.input), subagentId: row.subagentId}
    case 'tool_result': return {type: 'tool_result', callId: row.callId ?? '', output: text, isError: row.isError ?? false}
    case 'event': return {type: 'event', kind: row.kind ?? '', text}
    case 'attachment': {
      const inline = row.path?.match(/^data:[^;,]*;base64,/)
      return {type: 'attachment', kind: row.kind === 'image' ? 'image' : 'file', mimeType: row.mimeType, name: row.name, path: inline ? null : row.path, data: inline ? row.path!.slice(inline[0].length) : null}
    }
  }
}
