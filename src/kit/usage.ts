import type {Usage} from '../model/session.js'

/**
 * The usage of several model calls together: tokens summed, and the cost of those that have one
 * (null when none has). Sums of float prices pick up binary noise (0.037665000000000004), which
 * is rounded off at a billionth of a dollar.
 */
export function totalUsage(usages: readonly Usage[]): Usage {
  const total: Usage = {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null, inputTokens: 0, outputTokens: 0, reasoningTokens: 0}
  for (const usage of usages) {
    total.inputTokens += usage.inputTokens
    total.outputTokens += usage.outputTokens
    total.cacheReadTokens += usage.cacheReadTokens
    total.cacheWriteTokens += usage.cacheWriteTokens
    total.reasoningTokens += usage.reasoningTokens
    if (usage.costUsd !== null) total.costUsd = (total.costUsd ?? 0) + usage.costUsd
  }

  if (total.costUsd !== null) total.costUsd = Math.round(total.costUsd * 1e9) / 1e9
  return total
}
