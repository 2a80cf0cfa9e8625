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
  /** The provider returned the reasoning encrypted or withheld; `text` is then empty or a placeholder. */
  redacted: z.boolean(),
})

export const ToolCallBlockSchema = z.object({
  type: z.literal('tool_call'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  /** Id of the subagent (child) session this call started, when it started one. */
  subagentId: z.string().nullable(),
})

/**
 * How a tool call ended: `ok`; `error`, it failed (a command that exited non-zero included);
 * `interrupted`, the user stopped it; `unfinished`, it had not ended when the session was read
 * (the agent quit during it, or still runs it).
 */
export const ToolStatusSchema = z.enum(['ok', 'error', 'interrupted', 'unfinished'])

export const ToolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  callId: z.string(),
  output: z.string(),
  /** True for every status but `ok`: an interrupted or unfinished call is no success either. */
  isError: z.boolean(),
  // The three fields below are absent from the exports of earlier versions: read back as null.
  status: ToolStatusSchema.nullable()
    .default(null)
    .describe('How the call ended: ok, error (a failed command included), interrupted (the user stopped it), unfinished (not ended when the session was read); null: not known'),
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
  /**
   * Where the content is: before export, a path on the agent's disk (a reference) or null
   * when `data` holds it; after export, the path of the written file relative to the export.
   */
  path: z.string().nullable(),
  /** Base64 content, when the agent stored the attachment inline. Exports move it into a file. */
  data: z.string().nullable(),
})

/** Something that happened in the session that is neither said nor done: a compaction, a model switch… */
export const EventBlockSchema = z.object({
  type: z.literal('event'),
  /**
   * What happened, in snake case (`compaction`, `model_change`). A kind ending in `_output`
   * (`shell_output`) holds what a program printed, to be shown as it is; any other, words
   * (Markdown where an agent wrote Markdown, as in a compaction's summary).
   */
  kind: z.string(),
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
export const UsageSchema = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cacheReadTokens: z.number().nonnegative(),
  cacheWriteTokens: z.number().nonnegative(),
  reasoningTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
})

export const MessageSchema = z.object({
  id: z.string().nullable(),
  role: RoleSchema,
  timestamp: isoTime.nullable(),
  model: z.string().nullable(),
  blocks: z.array(BlockSchema),
  /**
   * What the model calls this message records used: a reply's (one API response, counted once
   * however many records the agent wrote it in), a compaction summary's, a tool's own calls (Pi
   * 1.x). Null when the agent recorded none for it (user messages, most tool messages, older agent
   * versions). A fork's copied messages keep their original's.
   */
  usage: UsageSchema.nullable().default(null),
})

export const GitBranchSchema = z.object({
  first: z.string().nullable(),
  last: z.string().nullable(),
  /** Every branch the session was seen on, in order of first appearance. */
  seen: z.array(z.string()),
  /** The agent records no branch: this is the work tree's branch when sessionsync ran. */
  readAtExport: z.boolean(),
})

export const SourceSchema = z.object({
  /** The file or database the session was read from. */
  path: z.string(),
  agentVersion: z.string().nullable(),
})

export const SessionSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  agent: z.string().min(1),
  id: z.string().min(1),
  title: z.string(),
  /** A one-line summary when the agent recorded one. */
  summary: z.string().nullable(),
  workspace: z.string().nullable(),
  gitBranch: GitBranchSchema,
  createdAt: isoTime.nullable(),
  updatedAt: isoTime.nullable(),
  models: z.array(z.string()),
  /** Set on subagent sessions: the session whose tool call started this one. */
  parentId: z.string().nullable(),
  parentToolCallId: z.string().nullable(),
  /** Set on forks: the session this one was copied from. */
  forkedFrom: z.string().nullable(),
  /**
   * On a fork: how many of its first messages are copies of the original's, so the fork's own
   * part can be told apart. Null when not known (and on sessions of readers older than this field).
   */
  copiedMessages: z.number().int().nonnegative().nullable().default(null),
  source: SourceSchema,
  usage: UsageSchema.nullable(),
  /**
   * Files the session wrote or edited, as the agent named them, in the order of their first
   * change (`kit.changedFiles`). Empty when none, or when the reader does not tell.
   */
  filesChanged: z.array(z.string()).default([]),
  messages: z.array(MessageSchema),
  /** Agent-specific metadata the model has no field for, kept rather than dropped. */
  extra: z.record(z.string(), z.unknown()),
})

export type TextBlock = z.infer<typeof TextBlockSchema>
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>
export type ToolCallBlock = z.infer<typeof ToolCallBlockSchema>
export type ToolStatus = z.infer<typeof ToolStatusSchema>
export type ToolResultBlock = z.infer<typeof ToolResultBlockSchema>
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
