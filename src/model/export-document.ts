import {z} from 'zod'
import {type SessionCounts, SessionCountsSchema} from './counts.js'
import {type Block, BlockSchema, type Message, MessageSchema, SCHEMA_VERSION, type Session, SessionSchema, ToolResultBlockSchema, type Usage, UsageSchema} from './session.js'

/**
 * The document the JSON and TOON exports carry: the session model with its messages and
 * content blocks as two tables, rows of primitive fields only. TOON writes such arrays as
 * tables (field names once, then one line a row), which is where it saves tokens over JSON;
 * nested, differently shaped blocks would leave it nothing to save.
 */
/**
 * 3: `copiedMessages` (sessionsync 0.4.0). 4: a message's usage columns, a tool result's
 * `status`, `exitCode` and `durationMs` (0.12.0). 5: `counts` (0.15.0).
 */
export const EXPORT_SCHEMA_VERSION = 5
/** The earliest version read back: 4 and 5 only added columns and `counts`, which a document of 3 or 4 reads without. */
const EARLIEST_READ_VERSION = 3

// A message's usage as columns of its row: a nested object would cost the messages their table.
const usage = UsageSchema.shape
const UsageColumnsSchema = z.object({
  inputTokens: usageColumn(usage.inputTokens.nullable(), usage.inputTokens),
  outputTokens: usageColumn(usage.outputTokens.nullable(), usage.outputTokens),
  cacheReadTokens: usageColumn(usage.cacheReadTokens.nullable(), usage.cacheReadTokens),
  cacheWriteTokens: usageColumn(usage.cacheWriteTokens.nullable(), usage.cacheWriteTokens),
  reasoningTokens: usageColumn(usage.reasoningTokens.nullable(), usage.reasoningTokens),
  costUsd: usageColumn(usage.costUsd, usage.costUsd),
})

/** A usage field as a column, described as the field is and when it is null. */
function usageColumn(column: z.ZodNullable<z.ZodNumber>, {description}: z.ZodType) {
  return column
    .default(null)
    .describe(`${description}; null when the agent recorded no usage for the message (user messages, most tool messages, older agent versions) and in exports before version 4`)
}

export const MessageRowSchema = MessageSchema.omit({blocks: true, usage: true})
  .extend(UsageColumnsSchema.shape)
  .describe("One message; its content blocks are rows of `blocks`, and the usage of the model call it records is its own columns")

export const BlockRowSchema = z
  .object({
    message: z.number().int().nonnegative().describe("Row number (from 0) of the block's message in `messages`"),
    // The block types of the model; COLUMNS below, typed by them, keeps the two lists equal.
    type: z
      .enum(['text', 'thinking', 'tool_call', 'tool_result', 'attachment', 'event'])
      .describe('What the block is: text, thinking, a tool call, a tool result, an attachment (an image or file) or an event (what happened: a compaction, a model change…)'),
    text: z.string().nullable().describe("What was said or thought, a tool's output, or what happened (an event); null on a tool call and an attachment"),
    name: z.string().nullable().describe("The tool called, or the attachment's file name; null otherwise"),
    callId: z.string().nullable().describe("The tool call's id, on the call and on its result; null on other blocks"),
    input: z.string().nullable().describe("The tool call's input, as JSON text (as model APIs pass tool arguments); null on other blocks"),
    isError: z.boolean().nullable().describe('On a tool result: true for every status but ok; null on other blocks'),
    subagentId: z.string().nullable().describe("On a tool call that started a subagent: the subagent session's id; null otherwise"),
    kind: z.string().nullable().describe("An attachment's kind (image, file) or an event's (compaction, model_change, …); null on other blocks"),
    mimeType: z.string().nullable().describe("An attachment's media type (image/png); null when not known, and on other blocks"),
    path: z
      .string()
      .nullable()
      .describe("Where an attachment is, relative to the export; inline content the export did not move into a file is a `data:` URI; null on other blocks"),
    redacted: z
      .boolean()
      .nullable()
      .describe('On thinking: true when the provider withheld or encrypted it (`text` is then empty or a placeholder); null on other blocks'),
    // A tool result's outcome, as the model has it.
    status: ToolResultBlockSchema.shape.status,
    exitCode: ToolResultBlockSchema.shape.exitCode,
    durationMs: ToolResultBlockSchema.shape.durationMs,
  })
  .describe("One content block. Fields a block's type has no use for are null")

const {messages: _messages, schemaVersion: _version, extra: _extra, ...metadata} = SessionSchema.shape

// In the file because a reader of it (an agent, a study of tool use) cannot tell otherwise that calls were dropped.
export const ShapingSchema = z
  .object({
    tools: z.boolean().describe('Tool calls and their results kept (`--no-tools`: only the calls that started a subagent stay)'),
    thinking: z.boolean().describe('Thinking blocks kept (false: `--no-thinking` dropped them)'),
    attachments: z.boolean().describe('Images and files kept (false: `--no-attachments` dropped them)'),
    maxOutputChars: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('Tool outputs longer than this many characters were cut in the middle (`--max-output-chars`); null: kept whole'),
    redacted: z.boolean().describe('Secrets replaced with `[REDACTED:<kind>]` markers (`--redact`)'),
  })
  .describe('The options the export was made with, where they left something out or changed it')

/** An export made with every option at its default: nothing left out. */
export const UNSHAPED: Shaping = {attachments: true, maxOutputChars: null, redacted: false, thinking: true, tools: true}

export const ExportDocumentSchema = z
  .object({
    schemaVersion: z.literal(EXPORT_SCHEMA_VERSION).describe(`The version of this document's layout: ${EXPORT_SCHEMA_VERSION}`),
    shaping: ShapingSchema.optional().describe(`${ShapingSchema.description}; absent from exports before sessionsync 0.12.0`),
    // Before the tables, with the metadata: what the session holds is read without them, and shaping does not change it.
    counts: SessionCountsSchema.optional().describe(
      'How much the session holds as its agent recorded it, whatever the export left out (`--no-tools` drops the calls, not their count); absent from exports before version 5',
    ),
    ...metadata,
    messages: z.array(MessageRowSchema).describe("The session's messages in order, a row each"),
    blocks: z.array(BlockRowSchema).describe("Every message's content blocks in order, a row each; `message` is the row number of the block's message"),
    extra: SessionSchema.shape.extra,
  })
  .meta({
    title: `sessionsync export document, schemaVersion ${EXPORT_SCHEMA_VERSION}`,
    description:
      "One session as sessionsync's JSON and TOON exports carry it: its metadata, then its messages and their content blocks as two tables of like rows (TOON writes such arrays a line a row)",
  })

export type MessageRow = z.infer<typeof MessageRowSchema>
export type BlockRow = z.infer<typeof BlockRowSchema>
type UsageColumns = z.infer<typeof UsageColumnsSchema>
export type ExportDocument = z.infer<typeof ExportDocumentSchema>
export type Shaping = z.infer<typeof ShapingSchema>

/**
 * The session as the export document; `shaping`, when given, says what the export left out, and
 * `counts` how much the session held before (see `SessionCounts`).
 */
export function toExportDocument(session: Session, shaping?: Shaping, counts?: SessionCounts): ExportDocument {
  const {messages, schemaVersion: _model, extra, ...rest} = session
  const blocks: BlockRow[] = []
  for (const [index, message] of messages.entries()) for (const block of message.blocks) blocks.push(blockRow(block, index))
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    ...(shaping && {shaping}),
    ...(counts && {counts: countsInOrder(counts)}),
    ...rest,
    messages: messages.map(messageRow),
    blocks,
    extra,
  }
}

/** The counts in the schema's order, `ownTools` given for every session, as `tools` for one that is no fork. */
function countsInOrder({messages, toolCalls, tools, ownTools}: SessionCounts): SessionCounts {
  return {messages, toolCalls, tools, ownTools: ownTools ?? tools}
}

/**
 * A message's row: its fields but the blocks and the usage, then the usage's columns. Copied a
 * field at a time, because V8 runs a rest pattern (`{blocks, usage, ...row}`) several times slower,
 * and a long session has a row per message.
 */
function messageRow(message: Message): MessageRow {
  const row: Record<string, unknown> = {}
  for (const field in message) if (field !== 'blocks' && field !== 'usage') row[field] = message[field as keyof Message]
  return Object.assign(row as Omit<Message, 'blocks' | 'usage'>, usageColumns(message.usage))
}

/** The columns of a message's usage, in the schema's order; all null for a message without one. */
function usageColumns(usage: Usage | null): UsageColumns {
  if (!usage) return {inputTokens: null, outputTokens: null, cacheReadTokens: null, cacheWriteTokens: null, reasoningTokens: null, costUsd: null}
  const {inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, costUsd} = usage
  return {inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, costUsd}
}

/** A message's usage back from its row's columns: written together, so one null token count says none was recorded. */
function usageOf({inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, costUsd}: UsageColumns): Usage | null {
  if (inputTokens === null || outputTokens === null || cacheReadTokens === null || cacheWriteTokens === null || reasoningTokens === null) return null
  return {inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, costUsd}
}

/**
 * The column of a row that holds each field of a block, per block type: the one mapping both
 * directions follow. Two fields change form on the way: a tool call's input becomes JSON text,
 * and inline attachment content a `data:` URI in `path`.
 */
const COLUMNS: {[Type in Block['type']]: Partial<Record<keyof BlockRow, keyof Extract<Block, {type: Type}>>>} = {
  text: {text: 'text'},
  thinking: {text: 'text', redacted: 'redacted'},
  tool_call: {callId: 'id', input: 'input', name: 'name', subagentId: 'subagentId'},
  tool_result: {callId: 'callId', durationMs: 'durationMs', exitCode: 'exitCode', isError: 'isError', status: 'status', text: 'output'},
  event: {kind: 'kind', text: 'text'},
  attachment: {kind: 'kind', mimeType: 'mimeType', name: 'name', path: 'path'},
}

/** COLUMNS as [column, field] pairs, made once rather than for each block. */
const COLUMN_PAIRS = Object.fromEntries(Object.entries(COLUMNS).map(([type, columns]) => [type, Object.entries(columns)])) as Record<Block['type'], [string, string][]>

const DATA_URI = /^data:[^;,]*;base64,/

function blockRow(block: Block, message: number): BlockRow {
  // One literal with every field, then filled in: a row per block of a long session, and
  // spreading a template into each would cost several times more.
  const row: BlockRow = {message, type: block.type, text: null, name: null, callId: null, input: null, isError: null, subagentId: null, kind: null, mimeType: null, path: null, redacted: null, status: null, exitCode: null, durationMs: null}
  const cells = row as Record<string, unknown>
  for (const [column, field] of COLUMN_PAIRS[block.type]) cells[column] = (block as Record<string, unknown>)[field]
  if (block.type === 'tool_call') row.input = JSON.stringify(block.input ?? null)
  if (block.type === 'attachment' && block.data !== null) row.path = `data:${block.mimeType ?? ''};base64,${block.data}`
  return row
}

/**
 * The session of an export's text, decoded by `decode` (JSON, TOON); null when it holds no export
 * document of a version this one reads (a user's file, an older document, a file cut short).
 */
export function sessionOfExport(decode: () => unknown): Session | null {
  return exportOf(decode)?.session ?? null
}

/**
 * The session of an export's text, as `sessionOfExport`, with its counts and what shaped it where
 * the document says (since versions 5 and 4).
 */
export function exportOf(decode: () => unknown): {counts: SessionCounts | null; session: Session; shaping: Shaping | null} | null {
  try {
    const parsed = ExportDocumentSchema.safeParse(asCurrentVersion(decode()))
    return parsed.success ? {counts: parsed.data.counts ?? null, session: fromExportDocument(parsed.data), shaping: parsed.data.shaping ?? null} : null
  } catch {
    return null
  }
}

/** What opens a document of this version, before its tables: the session's metadata and counts. */
const ExportHeadSchema = ExportDocumentSchema.omit({blocks: true, extra: true, messages: true}).extend({counts: SessionCountsSchema})

/**
 * The session of an export's head (what comes before its tables), without its messages, and its
 * counts: all that is known of it without reading on. null when it is not the head of a document
 * of this version (an older one has no counts there).
 */
export function headOfExport(head: unknown): {counts: SessionCounts; session: Session} | null {
  const parsed = ExportHeadSchema.safeParse(head)
  if (!parsed.success) return null
  const {counts, ...metadata} = parsed.data
  return {counts, session: fromExportDocument({...metadata, blocks: [], extra: {}, messages: []})}
}

/** Whether this version reads a document of `version`: its own, and the earlier ones it still reads. */
export function readsVersion(version: unknown): boolean {
  return typeof version === 'number' && version >= EARLIEST_READ_VERSION && version <= EXPORT_SCHEMA_VERSION
}

/** The versions of the document this one reads, in words: `3 to 5`. */
export const VERSIONS_READ = `${EARLIEST_READ_VERSION} to ${EXPORT_SCHEMA_VERSION}`

/** A document of a version this one still reads, taken as one of this version; anything else as it is. */
function asCurrentVersion(document: unknown): unknown {
  if (typeof document !== 'object' || document === null || !('schemaVersion' in document)) return document
  return readsVersion(document.schemaVersion) ? {...document, schemaVersion: EXPORT_SCHEMA_VERSION} : document
}

/** The session model back from an export document: every field survives the round trip. */
export function fromExportDocument(document: ExportDocument): Session {
  const {messages, blocks, schemaVersion: _export, shaping: _shaping, counts: _counts, extra, ...rest} = document
  const rebuilt: Message[] = messages.map((row) => {
    const {inputTokens: _input, outputTokens: _output, cacheReadTokens: _cacheRead, cacheWriteTokens: _cacheWrite, reasoningTokens: _reasoning, costUsd: _cost, ...message} = row
    return {...message, blocks: [], usage: usageOf(row)}
  })
  for (const row of blocks) rebuilt[row.message]?.blocks.push(blockOf(row))
  return {schemaVersion: SCHEMA_VERSION, ...rest, messages: rebuilt, extra}
}

function blockOf(row: BlockRow): Block {
  const block: Record<string, unknown> = {type: row.type}
  for (const [column, field] of COLUMN_PAIRS[row.type]) block[field] = row[column as keyof BlockRow]
  if (row.type === 'tool_call') block.input = row.input === null ? null : JSON.parse(row.input)
  if (row.type === 'attachment') {
    const inline = row.path === null ? null : DATA_URI.exec(row.path)
    block.data = inline ? row.path!.slice(inline[0].length) : null
    if (inline) block.path = null
  }

  return BlockSchema.parse(block)
}
