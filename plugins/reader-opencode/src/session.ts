import type {GitBranch, ReaderContext, Session, Usage} from 'sessionsync'
import type {Json} from './json.js'
import {amount, isoTime, isRecord} from './json.js'
import {modelOf, toMessages} from './messages.js'
import type {StoredMessage, StoredSession} from './stored.js'

/**
 * OpenCode records no branch anywhere: the branch the session's folder is on now stands in,
 * marked as read at export.
 */
export async function branchAtExport(directory: string | null, ctx: ReaderContext): Promise<GitBranch> {
  const branch = directory ? await ctx.kit.currentGitBranch(directory) : null
  return {first: branch, last: branch, readAtExport: true, seen: branch ? [branch] : []}
}

const assistantInfos = (messages: StoredMessage[]): Json[] => messages.map((message) => message.info).filter((info) => info.role === 'assistant')

/** Tokens and cost of every assistant message (the session's own totals are 0 on older rows). */
function usageOf(messages: StoredMessage[]): Usage | null {
  const infos = assistantInfos(messages)
  if (infos.length === 0) return null
  const usage: Usage = {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0}
  for (const info of infos) {
    const tokens = isRecord(info.tokens) ? info.tokens : {}
    const cache = isRecord(tokens.cache) ? tokens.cache : {}
    usage.inputTokens += amount(tokens.input)
    usage.outputTokens += amount(tokens.output)
    usage.reasoningTokens += amount(tokens.reasoning)
    usage.cacheReadTokens += amount(cache.read)
    usage.cacheWriteTokens += amount(cache.write)
    usage.costUsd! += amount(info.cost)
  }

  return usage
}

function modelsOf(messages: StoredMessage[]): string[] {
  return [...new Set(assistantInfos(messages).flatMap((info) => modelOf(info) ?? []))]
}

/** A fork is a new session titled `… (fork #N)`; OpenCode keeps no link to the original. */
function forkNumber(title: string | null): number | null {
  const match = title ? /\(fork #(\d+)\)$/.exec(title) : null
  return match ? Number(match[1]) : null
}

export async function buildSession(stored: StoredSession, sourcePath: string, parentToolCallId: string | null, ctx: ReaderContext): Promise<Session> {
  const {info, messages} = stored
  const fork = forkNumber(info.title)
  return {
    agent: 'opencode',
    createdAt: isoTime(info.created),
    extra: fork === null ? info.extra : {...info.extra, fork},
    forkedFrom: null,
    gitBranch: await branchAtExport(info.directory, ctx),
    id: info.id,
    messages: toMessages(messages, ctx, `${sourcePath}: session ${info.id}`),
    models: modelsOf(messages),
    parentId: info.parentId,
    parentToolCallId: info.parentId ? parentToolCallId : null,
    schemaVersion: 1,
    source: {agentVersion: info.version, path: sourcePath},
    summary: null,
    title: info.title ?? '',
    updatedAt: isoTime(info.updated),
    usage: usageOf(messages),
    workspace: info.directory,
  }
}
