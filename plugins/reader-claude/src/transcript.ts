import type {ReaderContext} from 'sessionsync'
import {SHOWN_ATTACHMENTS} from './conversation.js'
import {skimmedRecord} from './skim.js'
import {BOOKKEEPING_TYPES, CONVERSATION_TYPES, type ConversationRecord, ConversationRecordSchema, METADATA_TYPES, MetadataRecordSchema, stringField} from './records.js'

/** One record of the conversation graph. `record` is dropped for records never shown (progress). */
export interface GraphNode {
  uuid: string
  parent: string | null
  logicalParent: string | null
  /**
   * On a compaction's boundary, where its conversation goes back to when not to the record it
   * follows (`logicalParentUuid`), Claude Code 2.1.x: the last message it kept verbatim, where
   * those come before it ("Summarize up to here", `preservedSegment`); the last of the messages
   * it summarized after the point it kept ("Summarize from here"). Both hang off the record it
   * follows, like a branch a rewind left, but are the conversation's history.
   */
  goesBackTo: string | null
  type: string
  timestamp: string
  sidechain: boolean
  agentId: string | null
  /** Position in the file: the tie-breaker wherever Claude Code's own order matters. */
  order: number
  /** The API message an assistant record is part of: parallel tool calls split one over several records. */
  messageId: string | null
  /** The tool calls an assistant record makes, or a user record answers: what ties parallel results to their turn. */
  toolUseIds: readonly string[]
  record: ConversationRecord | null
}

const NO_TOOL_USES: readonly string[] = []

export interface TranscriptMetadata {
  customTitle: string | null
  aiTitle: string | null
  summaries: Array<{summary: string; leafUuid: string | null}>
  lastPrompt: string | null
  costUsd: number | null
  tags: string[]
  /** The folder a fork was made for, which Claude Code takes over the first record's `cwd`. */
  relocatedCwd: string | null
}

export interface Transcript {
  file: string
  nodes: Map<string, GraphNode>
  metadata: TranscriptMetadata
}

export interface LoadOptions {
  /** False when only the graph is needed (to find the subagents inside a 1.0.x file). */
  keepContent: boolean
}

/**
 * Streams one session file into its conversation graph and metadata. Only records that can
 * be shown keep their content, so memory follows the conversation, not the file: progress
 * records, request logs and snapshots (most of a large file) are reduced to graph links.
 */
export async function loadTranscript(file: string, ctx: ReaderContext, options: LoadOptions): Promise<Transcript> {
  const nodes = new Map<string, GraphNode>()
  const metadata: TranscriptMetadata = {aiTitle: null, costUsd: null, customTitle: null, lastPrompt: null, relocatedCwd: null, summaries: [], tags: []}
  const reportedTypes = new Set<string>()
  let order = 0
  const addLink = (value: unknown, type: string) => {
    const node = linkOnlyNode(value, type, order)
    if (node && !nodes.has(node.uuid)) {
      nodes.set(node.uuid, node)
      order++
    }
  }

  const onBadLine = (line: number, reason: string) => ctx.warn(`${file}:${line}: not valid JSON, line skipped (${reason})`)
  for await (const {line, value} of ctx.kit.readJsonLines(file, {onBadLine, passOver: isBookkeepingLine, skim: skimmedRecord})) {
    const type = stringField(value, 'type')
    if (type === null) {
      ctx.warn(`${file}:${line}: a record without a type, skipped`)
    } else if (type === 'progress') {
      // Never shown, often most of a file: only its place in the graph is kept, without a full check.
      addLink(value, type)
    } else if (CONVERSATION_TYPES.has(type)) {
      const parsed = ConversationRecordSchema.safeParse(value, {reportInput: true})
      if (!parsed.success) {
        ctx.warn(`${file}:${line}: ${type} record of an unexpected shape (${ctx.kit.describeIssues(parsed.error.issues)}), its content left out`)
        // Its place stays: the records before it are still the conversation.
        addLink(value, type)
        continue
      }

      const record = parsed.data
      // The first copy wins: resumed and forked files repeat earlier records under the same uuid.
      if (nodes.has(record.uuid)) continue
      const sidechain = record.isSidechain === true
      nodes.set(record.uuid, {
        agentId: record.agentId ?? null,
        logicalParent: record.logicalParentUuid ?? null,
        messageId: type === 'assistant' ? (record.message?.id ?? null) : null,
        order: order++,
        parent: record.parentUuid ?? null,
        goesBackTo: stringField(record.compactMetadata?.preservedSegment, 'tailUuid'),
        toolUseIds: toolUseIds(record),
        record: options.keepContent && isShown(record) ? record : null,
        sidechain,
        timestamp: record.timestamp ?? '',
        type,
        uuid: record.uuid,
      })
      if (record.isCompactSummary && stringField(record.summarizeMetadata, 'direction') === 'from') summarizedFrom(nodes, record.parentUuid)
    } else if (METADATA_TYPES.has(type)) {
      collectMetadata(metadata, value)
    } else if (!BOOKKEEPING_TYPES.has(type) && !reportedTypes.has(type)) {
      reportedTypes.add(type)
      ctx.debug(`${file}:${line}: record type "${type}" is not known, left out`)
    }
  }

  return {file, metadata, nodes}
}

const TYPE_FIRST = Buffer.from('{"type":"')
const QUOTE = 0x22
const LONGEST_BOOKKEEPING_TYPE = Math.max(...[...BOOKKEEPING_TYPES].map((type) => type.length))

/**
 * Whether a line is bookkeeping, told from its first bytes: Claude Code writes the type first in
 * those records (request logs and request shapes, about a third of a short 2.1.3xx session's
 * bytes), so they are passed over undecoded. Any other line is read.
 */
export function isBookkeepingLine(bytes: Buffer): boolean {
  if (bytes.compare(TYPE_FIRST, 0, TYPE_FIRST.length, 0, Math.min(bytes.length, TYPE_FIRST.length)) !== 0) return false
  const end = bytes.indexOf(QUOTE, TYPE_FIRST.length)
  return end !== -1 && end - TYPE_FIRST.length <= LONGEST_BOOKKEEPING_TYPE && BOOKKEEPING_TYPES.has(bytes.toString('latin1', TYPE_FIRST.length, end))
}

/** The calls an assistant record makes (`tool_use`), or those a user record answers (`tool_result`). */
function toolUseIds(record: ConversationRecord): readonly string[] {
  const content = record.message?.content
  if (!Array.isArray(content)) return NO_TOOL_USES
  const ids: string[] = []
  for (const block of content) {
    const id = record.type === 'assistant' ? (block.type === 'tool_use' ? block.id : undefined) : block.type === 'tool_result' ? block.tool_use_id : undefined
    if (id !== undefined) ids.push(String(id))
  }

  return ids.length > 0 ? ids : NO_TOOL_USES
}

/**
 * "Summarize from here": the messages after the point kept were summarized; the boundary goes
 * back to the last of them, the last record before it in the file that descends from that point.
 */
function summarizedFrom(nodes: ReadonlyMap<string, GraphNode>, boundaryUuid: string | null | undefined): void {
  const boundary = boundaryUuid ? nodes.get(boundaryUuid) : undefined
  const point = boundary?.logicalParent
  if (!boundary || !point) return
  const descendsFromPoint = (node: GraphNode) => {
    const seen = new Set<string>()
    for (let at: GraphNode | undefined = node; at && !seen.has(at.uuid); at = at.parent ? nodes.get(at.parent) : undefined) {
      if (at.uuid === point) return true
      seen.add(at.uuid)
    }

    return false
  }

  const before = [...nodes.values()].filter((node) => node.order < boundary.order && node.sidechain === boundary.sidechain)
  const last = before.reverse().find((node) => descendsFromPoint(node))
  if (last && last.uuid !== point) boundary.goesBackTo = last.uuid
}

/** A record's place in the graph without its content: progress records, and records that failed their check. */
function linkOnlyNode(record: unknown, type: string, order: number): GraphNode | null {
  const uuid = stringField(record, 'uuid')
  if (!uuid) return null
  const field = (key: string) => stringField(record, key)
  const sidechain = (record as Record<string, unknown>).isSidechain === true
  return {agentId: field('agentId'), logicalParent: field('logicalParentUuid'), messageId: null, order, parent: field('parentUuid'), goesBackTo: null, record: null, sidechain, timestamp: field('timestamp') ?? '', toolUseIds: NO_TOOL_USES, type, uuid}
}

function isShown(record: ConversationRecord): boolean {
  if (record.type === 'progress') return false
  return record.type !== 'attachment' || SHOWN_ATTACHMENTS.has(record.attachment?.type ?? '')
}

/** Metadata records repeat (Claude Code re-appends them on resume): the last one wins. */
function collectMetadata(metadata: TranscriptMetadata, value: unknown): void {
  const parsed = MetadataRecordSchema.safeParse(value)
  if (!parsed.success) return
  const record = parsed.data
  switch (record.type) {
    case 'custom-title':
      metadata.customTitle = record.customTitle?.trim() || metadata.customTitle
      break
    case 'ai-title':
      metadata.aiTitle = record.aiTitle?.trim() || metadata.aiTitle
      break
    case 'summary':
      if (record.summary) metadata.summaries.push({leafUuid: record.leafUuid ?? null, summary: record.summary})
      break
    case 'last-prompt':
      metadata.lastPrompt = record.lastPrompt ?? metadata.lastPrompt
      break
    case 'cost-state':
      metadata.costUsd = record.totalCostUSD ?? metadata.costUsd
      break
    case 'tag':
      if (record.tag && !metadata.tags.includes(record.tag)) metadata.tags.push(record.tag)
      break
    case 'relocated':
      metadata.relocatedCwd = record.relocatedCwd || metadata.relocatedCwd
      break
  }
}

/** The records of a chain that still hold content, in order. */
export function recordsOf(nodes: readonly GraphNode[]): ConversationRecord[] {
  return nodes.flatMap((node) => (node.record ? [node.record] : []))
}
