import {z} from 'zod'

/**
 * The normalized session model: the only thing that crosses the boundary between
 * readers (one per agent) and writers (one per format). Every type is inferred from
 * these schemas; there is no second, hand-written copy.
 */

export const SCHEMA_VERSION = 1

const isoTime = z.string().describe('ISO-8601 time')

export const TextBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
})

export const ThinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  text: z.string(),
  redacted: z.boolean().describe('The provider returned the reasoning encrypted or withheld; `text` is then empty or a placeholder'),
})

export const ToolCallBlockSchema = z.object({
  type: z.literal('tool_call'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  subagentId: z.string().nullable().describe('Id of the subagent (child) session this call started; null when it started none'),
})

export const ToolStatusSchema = z
  .enum(['ok', 'error', 'interrupted', 'unfinished'])
  .describe('How the call ended: ok, error (a failed command included), interrupted (the user stopped it), unfinished (not ended when the session was read: the agent quit during it, or still runs it)')

export const ToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  callId: z.string(),
  output: z.string(),
  isError: z.boolean().describe('True for every status but `ok`: an interrupted or unfinished call is no success either'),
  // The three fields below are absent from the exports of earlier versions: read back as null.
  status: ToolStatusSchema.nullable()
    .default(null)
    .describe(`${ToolStatusSchema.description}; null: not known`),
  exitCode: z.number().int().nullable().default(null).describe("A command's exit code; null when the agent recorded none"),
  durationMs: z
    .number()
    .nonnegative()
    .nullable()
    .default(null)
    .describe('How long the call ran, in milliseconds, when the agent recorded it; never derived from message times'),
})

/** An image or file. One a tool returned comes right after that tool's result, in the same message. */
export const AttachmentBlockSchema = z.object({
  type: z.literal('attachment'),
  kind: z.enum(['image', 'file']),
  mimeType: z.string().nullable(),
  name: z.string().nullable(),
  path: z
    .string()
    .nullable()
    .describe(
      "Where the content is: before export, a path on the agent's disk (a reference) or null when `data` holds it; after export, the path of the written file relative to the export",
    ),
  data: z.string().nullable().describe('Base64 content, when the agent stored the attachment inline; exports move it into a file'),
})

/** Something that happened in the session that is neither said nor done: a compaction, a model switch… */
export const EventBlockSchema = z.object({
  type: z.literal('event'),
  kind: z
    .string()
    .describe(
      "What happened, in snake case (`compaction`, `model_change`). A kind ending in `_output` (`shell_output`) holds what a program printed, to be shown as it is; any other, words (Markdown where an agent wrote Markdown, as in a compaction's summary)",
    ),
  text: z.string(),
})

export const BlockSchema = z.discriminatedUnion('type', [
  TextBlockSchema,
  ThinkingBlockSchema,
  ToolCallBlockSchema,
  ToolResultBlockSchema,
  AttachmentBlockSchema,
  EventBlockSchema,
])

export const RoleSchema = z.enum(['user', 'assistant', 'system', 'tool'])

/**
 * Tokens and cost as the agent recorded them. `outputTokens` leaves out `reasoningTokens`: what
 * the model generated is their sum, as OpenCode counts them (Claude Code's `output_tokens` holds
 * its `thinking_tokens`, Pi 1.x's `output` its `reasoning`: both are taken out of it). Where an
 * agent records no reasoning count (Pi before 1.x), `reasoningTokens` is 0 and `outputTokens`
 * holds the reasoning. `costUsd` is null where the agent records no cost; 0 may be a free model
 * or one the agent has no price for.
 */
export const UsageSchema = z
  .object({
    inputTokens: z.number().nonnegative().describe('Input tokens, those read from or written to the prompt cache left out (they have fields of their own)'),
    outputTokens: z.number().nonnegative().describe('Output tokens, reasoning left out: what the model generated is outputTokens + reasoningTokens'),
    cacheReadTokens: z.number().nonnegative().describe('Input tokens read from the prompt cache'),
    cacheWriteTokens: z.number().nonnegative().describe('Input tokens written to the prompt cache'),
    reasoningTokens: z.number().nonnegative().describe('Reasoning (thinking) tokens; 0 where the agent records no reasoning count (Pi before 1.x)'),
    costUsd: z
      .number()
      .nonnegative()
      .nullable()
      .describe('Cost in US dollars, as the agent worked it out; null where it records none; 0 may be a free model or one the agent has no price for'),
  })
  .describe('Tokens and cost as the agent recorded them')

export const MessageSchema = z.object({
  id: z.string().nullable().describe("The agent's id of the message; null where it gives none"),
  role: RoleSchema.describe('Who speaks: user, assistant, system or tool'),
  timestamp: isoTime.nullable().describe('When the message was written, ISO-8601; null where the agent recorded no time'),
  model: z.string().nullable().describe('The model that wrote the message; null on messages no model wrote, or where the agent did not record it'),
  blocks: z.array(BlockSchema),
  usage: UsageSchema.nullable()
    .default(null)
    .describe(
      "What the model calls this message records used: a reply's (one API response, counted once however many records the agent wrote it in), a compaction summary's, a tool's own calls (Pi 1.x). Null when the agent recorded none for it (user messages, most tool messages, older agent versions). A fork's copied messages keep their original's",
    ),
})

export const GitBranchSchema = z.object({
  first: z.string().nullable().describe('The git branch the session started on; null when none is known'),
  last: z.string().nullable().describe('The git branch the session was last on; null when none is known'),
  seen: z.array(z.string()).describe('Every branch the session was seen on, in order of first appearance'),
  readAtExport: z.boolean().describe("True when the agent records no branch: `first` and `last` are then the work tree's branch when sessionsync ran"),
})

export const SourceSchema = z.object({
  path: z.string().describe('The file or database the session was read from'),
  agentVersion: z.string().nullable().describe('The version of the agent that wrote the session; null when it recorded none'),
})

export const SessionSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  agent: z.string().min(1).describe('The agent that wrote the session: claude, opencode, pi, or a reader plugin\'s name'),
  id: z.string().min(1).describe("The session's id, as the agent names it"),
  title: z.string().describe("The session's title: the agent's, else its first prompt"),
  summary: z.string().nullable().describe('A one-line summary when the agent recorded one; null otherwise'),
  workspace: z.string().nullable().describe('The folder the agent worked in; null when not known'),
  gitBranch: GitBranchSchema.describe('The git branches the session worked on'),
  createdAt: isoTime.nullable().describe('When the session began, ISO-8601; null when not known'),
  updatedAt: isoTime.nullable().describe('When the session last changed, ISO-8601; null when not known'),
  models: z.array(z.string()).describe('The models that answered'),
  parentId: z.string().nullable().describe('Set on subagent sessions: the session whose tool call started this one; null otherwise'),
  parentToolCallId: z.string().nullable().describe("Set on subagent sessions: the id of the parent's tool call that started this one; null otherwise"),
  forkedFrom: z.string().nullable().describe('Set on forks: the session this one was copied from; null otherwise'),
  copiedMessages: z
    .number()
    .int()
    .nonnegative()
    .nullable()
    .default(null)
    .describe(
      "On a fork: how many of its first messages are copies of the original's, so the fork's own part can be told apart. Null when not known (and on sessions of readers older than this field)",
    ),
  source: SourceSchema.describe('Where the session was read from'),
  usage: UsageSchema.nullable().describe(
    "The session's tokens and cost as the agent recorded them (see the README's Tokens and cost); null when it recorded none",
  ),
  filesChanged: z
    .array(z.string())
    .default([])
    .describe('Files the session wrote or edited, as the agent named them, in the order of their first change; empty when none, or when the reader does not tell'),
  messages: z.array(MessageSchema),
  extra: z.record(z.string(), z.unknown()).describe('Agent-specific metadata the model has no field for, kept rather than dropped'),
})

export type TextBlock = z.infer<typeof TextBlockSchema>
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>
export type ToolCallBlock = z.infer<typeof ToolCallBlockSchema>
export type ToolStatus = z.infer<typeof ToolStatusSchema>
export type ToolResultBlock = z.infer<typeof ToolResultBlockSchema>
/** How a tool call ended: what a reader works out, from what the agent recorded, for a result's block. */
export type ToolOutcome = Pick<ToolResultBlock, 'durationMs' | 'exitCode' | 'isError' | 'status'>
export type AttachmentBlock = z.infer<typeof AttachmentBlockSchema>
export type EventBlock = z.infer<typeof EventBlockSchema>
export type Block = z.infer<typeof BlockSchema>
export type Role = z.infer<typeof RoleSchema>
export type Message = z.infer<typeof MessageSchema>
export type Usage = z.infer<typeof UsageSchema>
export type GitBranch = z.infer<typeof GitBranchSchema>
export type Session = z.infer<typeof SessionSchema>
/** What a reader returns: a session before the core checked it, whose fields with a default may be left out. */
export type SessionInput = z.input<typeof SessionSchema>
