import type {Usage} from 'sessionsync'
import type {Json, PiEntry} from './format.js'
import {count, isoTime, isRecord, modelName, text} from './format.js'
import {userText} from './messages.js'

/** The assistant message bodies of a path, for the models listed over them. */
function assistantBodies(path: readonly PiEntry[]) {
  return path.flatMap((entry) => (entry.type === 'message' && isRecord(entry.message) && entry.message.role === 'assistant' ? [entry.message] : []))
}

/**
 * Tokens and cost of every model call on the path, as Pi totals them: replies, and since 1.x
 * tool results (a tool's own model calls), compaction and branch summaries, and `usage` entries
 * (a call that only kept the prompt cache warm).
 */
export function sumUsage(path: readonly PiEntry[]): Usage | null {
  const usages = path.flatMap((entry) => {
    const holder = entry.type === 'message' ? entry.message : entry
    return isRecord(holder) && isRecord(holder.usage) ? [holder.usage] : []
  })
  if (usages.length === 0) return null
  const total: Usage = {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0}
  for (const usage of usages) {
    total.inputTokens += count(usage.input)
    total.outputTokens += count(usage.output)
    total.cacheReadTokens += count(usage.cacheRead)
    total.cacheWriteTokens += count(usage.cacheWrite)
    total.reasoningTokens += count(usage.reasoning)
    total.costUsd! += isRecord(usage.cost) ? count(usage.cost.total) : 0
  }

  // Summed float prices pick up binary noise (0.037665000000000004).
  total.costUsd = Math.round(total.costUsd! * 1e9) / 1e9
  return total
}

/** Models that answered on the path, in order of first use. */
export function modelsUsed(path: readonly PiEntry[]): string[] {
  return [...new Set(assistantBodies(path).flatMap((body) => modelName(body.provider, body.model) ?? []))]
}

/** The first thing the user asked. */
export function firstPrompt(entries: readonly PiEntry[]): string | null {
  for (const entry of entries) {
    const prompt = entry.type === 'message' ? userText(entry.message) : null
    if (prompt) return prompt
  }

  return null
}

/** When the session was last active: the time of its last entry that has one. */
export function lastTime(entries: readonly PiEntry[]): string | null {
  return entries.map((entry) => isoTime(entry.timestamp)).findLast(Boolean) ?? null
}

/** The name the user gave the session (`/name`): the latest `session_info` in the file wins. */
export function sessionName(entries: readonly Json[]): string | null {
  let name: string | null = null
  for (const entry of entries) {
    if (entry.type === 'session_info') name = text(entry.name)?.trim() || null
  }

  return name
}

/** Labels (`/tree` bookmarks) by the entry they mark; the latest per entry wins, an empty one clears it. */
export function labels(entries: readonly PiEntry[]): Map<string, string> {
  const byTarget = new Map<string, string>()
  for (const entry of entries) {
    const target = entry.type === 'label' ? text(entry.targetId) : null
    if (target === null) continue
    const label = text(entry.label)
    if (label) byTarget.set(target, label)
    else byTarget.delete(target)
  }

  return byTarget
}

/** Extension state (`custom` entries): not part of the conversation, kept as metadata. */
export function extensionState(entries: readonly PiEntry[]): Array<{customType: string | null; data: unknown}> {
  return entries.filter((entry) => entry.type === 'custom').map((entry) => ({customType: text(entry.customType), data: entry.data ?? null}))
}
