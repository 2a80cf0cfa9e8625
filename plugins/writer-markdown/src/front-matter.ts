import type {RenderContext, Session, Shaping} from 'sessionsync'
import {yamlOf} from './plain-yaml.js'

/** The session's metadata as YAML front matter: what a search, an index or a static site reads first. */
export function frontMatter(session: Session, ctx: RenderContext): string {
  // Of the session as read: an export without its tools still says how many calls were made.
  const {messages, toolCalls, tools, ownTools} = ctx.counts
  const data: Record<string, unknown> = {
    agent: session.agent,
    id: session.id,
    title: session.title,
    summary: session.summary ?? undefined,
    workspace: session.workspace,
    branch: session.gitBranch.last ?? session.gitBranch.first,
    branches: session.gitBranch.seen.length > 1 ? session.gitBranch.seen : undefined,
    branch_read_at_export: session.gitBranch.readAtExport || undefined,
    created: session.createdAt,
    updated: session.updatedAt,
    models: session.models,
    messages,
    tool_calls: toolCalls,
    tools: toolCalls > 0 ? tools : undefined,
    // A fork's calls count those of the messages it copied; its own are what a study of tool use sums.
    own_tools: session.forkedFrom !== null && toolCalls > 0 ? (ownTools ?? tools) : undefined,
    // What the export left out: the counts above are of the session, not of what is shown below.
    left_out: leftOut(ctx.shaping),
    outputs_cut_at: ctx.shaping.maxOutputChars ?? undefined,
    redacted: ctx.shaping.redacted || undefined,
    tokens: session.usage
      ? {
          input: session.usage.inputTokens,
          output: session.usage.outputTokens,
          cache_read: session.usage.cacheReadTokens,
          cache_write: session.usage.cacheWriteTokens,
          reasoning: session.usage.reasoningTokens,
        }
      : undefined,
    cost_usd: session.usage?.costUsd ?? undefined,
    parent: session.parentId ?? undefined,
    parent_tool_call: session.parentToolCallId ?? undefined,
    forked_from: session.forkedFrom ?? undefined,
    copied_messages: session.forkedFrom ? (session.copiedMessages ?? undefined) : undefined,
    files_changed: session.filesChanged.length > 0 ? session.filesChanged : undefined,
    source: session.source.path,
    agent_version: session.source.agentVersion ?? undefined,
  }
  return `---\n${yamlOf(data)}---\n`
}

function leftOut(shaping: Shaping): string[] | undefined {
  const parts = [shaping.tools ? [] : ['tool calls'], shaping.thinking ? [] : ['thinking'], shaping.attachments ? [] : ['attachments']].flat()
  return parts.length > 0 ? parts : undefined
}
