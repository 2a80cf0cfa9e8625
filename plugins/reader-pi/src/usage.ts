import type {ReaderContext, Usage} from 'sessionsync'
import type {Json, PiEntry} from './format.js'
import {count, isRecord} from './format.js'

/**
 * Tokens and cost Pi recorded on an entry, for the model calls it made: a reply's, and since 1.x
 * a tool result's (the tool's own calls), a compaction's or branch summary's, or a `usage`
 * entry's (a call that only kept the prompt cache warm). Null when it holds none.
 */
export function recordedUsage(entry: PiEntry): Usage | null {
  const holder = entry.type === 'message' ? entry.message : entry
  return isRecord(holder) && isRecord(holder.usage) ? callUsage(holder.usage) : null
}

/**
 * Pi's `output` holds the reasoning (its Anthropic and OpenAI clients count it there); 1.x also
 * records a `reasoning` count, "already included in output" (its docs/message-types.md), which is
 * taken out of it, as the model counts reasoning apart. A model Pi has no price for costs 0, as a
 * free one does.
 */
function callUsage(usage: Json): Usage {
  const reasoning = count(usage.reasoning)
  return {
    cacheReadTokens: count(usage.cacheRead),
    cacheWriteTokens: count(usage.cacheWrite),
    costUsd: isRecord(usage.cost) ? count(usage.cost.total) : null,
    inputTokens: count(usage.input),
    outputTokens: Math.max(count(usage.output) - reasoning, 0),
    reasoningTokens: reasoning,
  }
}

/**
 * Tokens and cost of every model call on the path, as Pi totals them: the sum of its messages'
 * usage, and of the `usage` entries, which no message holds.
 */
export function sumUsage(path: readonly PiEntry[], ctx: ReaderContext): Usage | null {
  const usages = path.flatMap((entry) => recordedUsage(entry) ?? [])
  return usages.length === 0 ? null : ctx.kit.totalUsage(usages)
}
