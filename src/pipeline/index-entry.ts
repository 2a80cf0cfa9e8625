import {oneLine} from '../kit/one-line.js'
import type {Usage} from '../model/session.js'
import {lastActive} from '../last-active.js'
import {keptIn} from './kept.js'
import type {SessionState} from './state.js'

/** A session as both index files list it. */
export interface IndexEntry {
  agent: string
  id: string
  title: string
  summary: string | null
  createdAt: string | null
  updatedAt: string | null
  branch: string | null
  parentId: string | null
  forkedFrom: string | null
  copiedMessages: number | null
  messages: number
  workspace: string | null
  filesChanged: string[]
  toolCalls: number
  tools: Record<string, number>
  /** The models that answered; null when not recorded (exported before 0.11.0). */
  models: string[] | null
  /** Tokens and cost as the agent recorded them (see the README on what each agent counts); null when it recorded none, or before 0.11.0. */
  usage: Usage | null
  /** Calls per tool in the session's own messages: a fork's after those it copied; null when not recorded (exported before 0.11.0). */
  ownTools: Record<string, number> | null
  /** Exported files by format, relative to the output folder. */
  files: Record<string, string>
  /** Their sizes by format; null for exports made before sessionsync 0.4.0. */
  bytes: Record<string, number | null>
  /** When a sync first found the agent no longer has the session; null while it has it. */
  sourceGoneAt: string | null
}

/** Kept with its session's state, which is replaced when it changes: its text is then kept too. */
const entries = new WeakMap<SessionState, IndexEntry>()

/** Every session ever exported into the folder, newest first. */
export function indexEntries(sessions: Iterable<SessionState>): IndexEntry[] {
  return [...sessions].map(entryOf).sort(newestFirst)
}

function entryOf(session: SessionState): IndexEntry {
  return keptIn(entries, session, () => newEntry(session))
}

function newEntry({exports, facts, sourceGoneAt}: SessionState): IndexEntry {
  return {
    agent: facts.agent,
    branch: facts.branch,
    copiedMessages: facts.copiedMessages,
    createdAt: facts.createdAt,
    filesChanged: facts.filesChanged,
    bytes: Object.fromEntries(Object.entries(exports).map(([format, record]) => [format, record.bytes])),
    files: Object.fromEntries(Object.entries(exports).map(([format, record]) => [format, record.file])),
    forkedFrom: facts.forkedFrom,
    id: facts.id,
    messages: facts.messages,
    parentId: facts.parentId,
    sourceGoneAt,
    summary: facts.summary ? oneLine(facts.summary, 200) : facts.firstPrompt,
    title: facts.title,
    toolCalls: facts.toolCalls,
    tools: facts.tools,
    ownTools: facts.ownTools ?? null,
    models: facts.models ?? null,
    usage: facts.usage ?? null,
    updatedAt: facts.updatedAt,
    workspace: facts.workspace,
  }
}

export function keyOf(agent: string, id: string): string {
  return `${agent}/${id}`
}

/** Sessions of the same time in the order of their keys: the order they were exported in varies from run to run. */
function newestFirst(a: IndexEntry, b: IndexEntry): number {
  return lastActive(b).localeCompare(lastActive(a)) || byKey(a, b)
}

function byKey(a: IndexEntry, b: IndexEntry): number {
  const [first, second] = [keyOf(a.agent, a.id), keyOf(b.agent, b.id)]
  return first < second ? -1 : first > second ? 1 : 0
}
