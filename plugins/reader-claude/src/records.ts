import {z} from 'zod'
import {toolUseEnd} from './tool-outcome.js'

/**
 * The parts of Claude Code's JSONL records this reader relies on. Unknown fields never fail
 * a record (Claude Code adds some in every release); records keep only the fields named
 * here, since a long session holds many of them in memory at once.
 */

export const ContentBlockSchema = z.looseObject({type: z.string()})

export const ApiUsageSchema = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  /** 2.1.3xx: the part of `output_tokens` the model spent thinking. */
  output_tokens_details: z.looseObject({thinking_tokens: z.number().optional()}).nullish().catch(undefined),
})

const ApiMessageSchema = z.object({
  id: z.string().optional(),
  role: z.string().optional(),
  model: z.string().optional(),
  content: z.union([z.string(), z.array(ContentBlockSchema)]).optional(),
  /** Null on all but the last record of a streamed message in most versions. */
  stop_reason: z.string().nullish(),
  usage: ApiUsageSchema.nullish(),
})

/** Fields every conversation record (user, assistant, system, attachment, progress) may carry. */
export const ConversationRecordSchema = z.object({
  type: z.string(),
  uuid: z.string(),
  parentUuid: z.string().nullish(),
  /** Only on compaction boundaries, whose `parentUuid` is null: the record they follow. */
  logicalParentUuid: z.string().nullish(),
  sessionId: z.string().optional(),
  timestamp: z.string().optional(),
  cwd: z.string().optional(),
  gitBranch: z.string().optional(),
  version: z.string().optional(),
  entrypoint: z.string().optional(),
  isSidechain: z.boolean().optional(),
  isMeta: z.boolean().optional(),
  isCompactSummary: z.boolean().optional(),
  isApiErrorMessage: z.boolean().optional(),
  agentId: z.string().optional(),
  subtype: z.string().optional(),
  content: z.unknown().optional(),
  message: ApiMessageSchema.optional(),
  /**
   * The tool's structured result: only the subagent it names and how the call ended are used, and
   * the rest (a copy of the output, whole files before and after an edit) would double what a session holds.
   */
  toolUseResult: z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? undefined : {agentId: stringField(value, 'agentId'), persistedOutputPath: stringField(value, 'persistedOutputPath'), ...toolUseEnd(value)})),
  /** Where a message came from when not from the terminal (a channel, a peer agent): only its kind is used. */
  origin: z
    .unknown()
    .optional()
    .transform((value) => (value === undefined ? undefined : {kind: stringField(value, 'kind')})),
  compactMetadata: z.looseObject({trigger: z.string().optional(), preTokens: z.number().optional()}).optional(),
  /** On a compaction's summary (Claude Code 2.1.x): which part it summarized, `direction` `from` or `up_to` a message. */
  summarizeMetadata: z.unknown().optional(),
  /** On `api_error` system records, written as Claude Code retries a failed request: the error and which retry. */
  error: z.unknown().optional(),
  retryAttempt: z.number().optional(),
  maxRetries: z.number().optional(),
  attachment: z.looseObject({type: z.string()}).optional(),
  /** On records a fork copied: the session the request was made in. */
  requestSessionId: z.string().optional(),
})

/** Records about the session rather than in the conversation: titles, cost, prompts. */
export const MetadataRecordSchema = z.looseObject({
  type: z.string(),
  customTitle: z.string().optional(),
  aiTitle: z.string().optional(),
  summary: z.string().optional(),
  leafUuid: z.string().optional(),
  lastPrompt: z.string().optional(),
  totalCostUSD: z.number().optional(),
  tag: z.string().optional(),
  /** A fork made for another folder (`relocated`): the folder the session belongs to. */
  relocatedCwd: z.string().optional(),
})

export type ContentBlock = z.infer<typeof ContentBlockSchema>
export type ApiUsage = z.infer<typeof ApiUsageSchema>
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>

/** Record types that are part of the conversation graph (they have `uuid` and `parentUuid`). */
export const CONVERSATION_TYPES = new Set(['user', 'assistant', 'system', 'attachment', 'progress'])

/** Session metadata records the reader uses. */
export const METADATA_TYPES = new Set(['summary', 'custom-title', 'ai-title', 'last-prompt', 'cost-state', 'tag', 'relocated'])

/**
 * Records known to be bookkeeping: never conversation, never worth a `--verbose` line.
 * Anything else unknown is reported once per type.
 */
export const BOOKKEEPING_TYPES = new Set([
  'agent-color',
  'agent-name',
  'agent-setting',
  'api-request',
  'api-request-blob',
  'api-request-shape',
  'atis-latch',
  'attribution-snapshot',
  'bridge-session',
  'content-replacement',
  'file-history-delta',
  'file-history-snapshot',
  'marble-origami-commit',
  'marble-origami-snapshot',
  'mode',
  'permission-mode',
  'pr-link',
  'queue-operation',
  'saved_hook_context',
  'speculation-accept',
  'task-summary',
  'tools-used',
  'worktree-state',
])

/** A field of a value that may not be an object at all. */
export function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

export function stringField(value: unknown, key: string): string | null {
  const field = fieldOf(value, key)
  return typeof field === 'string' ? field : null
}
