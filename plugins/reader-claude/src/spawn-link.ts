import type {ReaderContext} from 'sessionsync'
import type {ContentBlock} from './records.js'
import {stringField} from './records.js'
import type {InlineSidechain} from './thread.js'
import type {GraphNode} from './transcript.js'

const SPAWNING_TOOLS = new Set(['Task', 'Agent'])

/**
 * The parent's tool call that started a subagent with no meta file (2.0.x, early 2.1.x):
 * the tool result that names the agent id. The parent is read once per run for the results of
 * all its subagents, and only its lines that mention an agent id are parsed.
 */
export async function findSpawningCall(parentFile: string, agentId: string, ctx: ReaderContext): Promise<string | null> {
  const results = await ctx.kit.oncePerRun(ctx, `agent results\n${parentFile}`, () => agentResults(parentFile, ctx))
  return results.find((result) => result.agentIds.includes(agentId))?.callId ?? null
}

/** A tool result that names agents: in its `toolUseResult`, or in its text (`agentId: …`). Only ids are kept, not the text. */
interface AgentResult {
  callId: string | null
  agentIds: string[]
}

const AGENT_ID = Buffer.from('agentId')
/** How a result's text names an agent; ids are those of the agents' file names, `agent-<id>.jsonl`. */
const NAMED_IN_TEXT = /agentId: ([\w-]+)/g

async function agentResults(parentFile: string, ctx: ReaderContext): Promise<AgentResult[]> {
  const results: AgentResult[] = []
  try {
    for await (const {value} of ctx.kit.readJsonLines(parentFile, {keep: (text) => text.includes('tool_result'), passOver: (bytes) => !bytes.includes(AGENT_ID)})) {
      const result = agentResult(value)
      if (result) results.push(result)
    }
  } catch {
    // The parent is gone or unreadable: its subagents are still exported, unlinked.
  }

  return results
}

function agentResult(value: unknown): AgentResult | null {
  const record = value as {toolUseResult?: unknown; message?: {content?: unknown}}
  const content = Array.isArray(record?.message?.content) ? (record.message.content as ContentBlock[]) : []
  const result = content.find((block) => block.type === 'tool_result')
  if (!result) return null
  const named = [...JSON.stringify(result.content ?? '').matchAll(NAMED_IN_TEXT)].map((match) => match[1])
  const agentIds = [stringField(record.toolUseResult, 'agentId'), ...named].filter((id) => id !== null)
  return agentIds.length > 0 ? {agentIds, callId: String(result.tool_use_id ?? '') || null} : null
}

/**
 * A 1.0.x inline subagent hangs off the parent record that called the Task tool; when it
 * does not, its prompt is matched against the prompts of the parent's Task calls.
 */
export function inlineSpawningCall(nodes: ReadonlyMap<string, GraphNode>, sidechain: InlineSidechain): string | null {
  const calls = (node: GraphNode | undefined) => {
    const content = node?.record?.message?.content
    return Array.isArray(content) ? content.filter((block) => block.type === 'tool_use' && SPAWNING_TOOLS.has(String(block.name))) : []
  }

  const direct = calls(sidechain.root.parent === null ? undefined : nodes.get(sidechain.root.parent))
  if (direct.length === 1) return String(direct[0].id)
  const prompt = promptOf(sidechain.root)
  if (prompt === null) return null
  for (const node of nodes.values()) {
    if (node.sidechain) continue
    const match = calls(node).find((call) => stringField(call.input, 'prompt') === prompt)
    if (match) return String(match.id)
  }

  return null
}

function promptOf(node: GraphNode): string | null {
  const content = node.record?.message?.content
  if (typeof content === 'string') return content
  return Array.isArray(content) ? (content.map((block) => stringField(block, 'text')).find((text) => text !== null) ?? null) : null
}
