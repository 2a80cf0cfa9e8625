import type {Usage} from 'sessionsync'
import type {ApiUsage} from './records.js'

/**
 * The usage of one API response in the model's terms. Claude Code records no cost per response
 * (only the process's total, in `cost-state`). `output_tokens` counts the thinking too, as the
 * API bills it; the model counts reasoning apart from output, so it is taken out.
 */
export function responseUsage(usage: ApiUsage): Usage {
  const thinking = usage.output_tokens_details?.thinking_tokens ?? 0
  return {
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    costUsd: null,
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: Math.max((usage.output_tokens ?? 0) - thinking, 0),
    reasoningTokens: thinking,
  }
}

/**
 * Notes a record's usage under its API response's id. A response is written as a record per
 * content block, each repeating its usage (older versions with partial counts before the last):
 * the one with the largest output stands.
 */
export function noteResponseUsage(byResponse: Map<string, ApiUsage>, id: string, usage: ApiUsage): void {
  const known = byResponse.get(id)
  if (!known || (usage.output_tokens ?? 0) >= (known.output_tokens ?? 0)) byResponse.set(id, usage)
}
