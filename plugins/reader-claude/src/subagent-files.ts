import {readFileSync} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'
import type {ReaderContext} from 'sessionsync'
import {entriesOf} from './folders.js'

/** `agent-<id>.meta.json`, written beside a subagent's transcript since Claude Code 2.1.x. */
const SubagentMetaSchema = z.looseObject({
  agentType: z.string().optional(),
  description: z.string().optional(),
  /** The parent's tool call that started the subagent. */
  toolUseId: z.string().optional(),
})

export type SubagentMeta = z.infer<typeof SubagentMetaSchema>

const AGENT_FILE = /^agent-([\w-]+)\.jsonl$/
/**
 * Claude Code's own side calls, which replay the conversation for one request: compaction
 * (`acompact-`), the suggested next prompt (`aprompt_suggestion-`) and `/btw` side questions
 * (`aside_question-`). None is a subagent the conversation started.
 */
const INTERNAL_AGENT = /^a(?:compact|prompt_suggestion|side_question)-/

/** The agent id of a subagent transcript file name, or null for anything else. */
export function agentIdOfFile(name: string): string | null {
  const match = AGENT_FILE.exec(name)
  return match && !INTERNAL_AGENT.test(match[1]) ? match[1] : null
}

/** Whether a file name is the transcript of one of Claude Code's own side calls. */
export function isSideCall(name: string): boolean {
  const match = AGENT_FILE.exec(name)
  return match !== null && INTERNAL_AGENT.test(match[1])
}

/** The transcripts in a session's `subagents/` folder, found by one walk. */
export interface SubagentsFolder {
  /** Subagents the conversation started, nested workflow folders included. */
  subagents: string[]
  /** Claude Code's own side calls, beside the subagents at the top. */
  sideCalls: string[]
}

export const NO_SUBAGENTS: SubagentsFolder = {sideCalls: [], subagents: []}

/** What `<session>/subagents/` holds; empty when the session has no such folder. */
export function subagentsFolderOf(sessionFolder: string, ctx: Pick<ReaderContext, 'warn'>): SubagentsFolder {
  const found: SubagentsFolder = {sideCalls: [], subagents: []}
  const top = path.join(sessionFolder, 'subagents')
  const walk = (folder: string): void => {
    for (const entry of entriesOf(folder, ctx)) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && agentIdOfFile(entry.name) !== null) found.subagents.push(full)
      else if (entry.isFile() && folder === top && isSideCall(entry.name)) found.sideCalls.push(full)
    }
  }

  walk(top)
  found.subagents.sort()
  found.sideCalls.sort()
  return found
}

/** Synchronous, as every small read: a round trip through the thread pool costs more than the read. */
export function readMeta(transcript: string): SubagentMeta | null {
  try {
    const parsed = SubagentMetaSchema.safeParse(JSON.parse(readFileSync(transcript.replace(/\.jsonl$/, '.meta.json'), 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Tool call id → agent id, from the meta files of a session's subagents. */
export function spawningCalls(subagentFiles: readonly string[]): Map<string, string> {
  const calls = new Map<string, string>()
  for (const file of subagentFiles) {
    const meta = readMeta(file)
    if (meta?.toolUseId) calls.set(meta.toolUseId, agentIdOfFile(path.basename(file))!)
  }

  return calls
}
