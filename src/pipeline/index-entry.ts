import {oneLine} from '../kit/one-line.js'
import type {IndexEntry} from '../model/index-document.js'
import {lastActive} from '../last-active.js'
import {keptIn} from './kept.js'
import {RewriteCache} from './rewrite-cache.js'
import type {SessionState} from './state.js'

/** Kept with its session's state in a watch (see `RewriteCache`): the state is replaced when it changes, and the entry's text is kept too. */
const entries = new RewriteCache<SessionState, IndexEntry>()

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
