import type {ReaderContext} from 'sessionsync'
import type {Json} from './json.js'
import {isoTime, isRecord, parseObject, text} from './json.js'

/** A session as OpenCode stores it, whichever the source (database rows or JSON files). */
export interface SessionInfo {
  id: string
  parentId: string | null
  directory: string | null
  title: string | null
  /** The OpenCode version that created the session. */
  version: string | null
  created: number | null
  updated: number | null
  /** What the model has no field for (slug, project, share link, archive time…). */
  extra: Json
  /** The session this one was forked from, where OpenCode records it (2.x); 1.x keeps no link. */
  forkedFrom: string | null
}

/** A message's info (role, model, tokens…) and its parts in order, each with its `id` again. */
export interface StoredMessage {
  id: string
  info: Json
  parts: Json[]
}

export interface StoredSession {
  info: SessionInfo
  messages: StoredMessage[]
}

/** Where one session lives (a database or the JSON storage), able to read it whole. */
export interface SessionSource {
  load(ctx: ReaderContext): Promise<StoredSession>
  /** The id of the `task` call in the parent session that started this (child) session (see `spawningCallIn`). */
  spawningCall(parentId: string, ctx: ReaderContext): Promise<string | null>
  /** The session this fork was copied from: the newest one older than the fork that holds a message created at `copiedAt`. */
  forkOrigin(fork: ForkFacts, ctx: ReaderContext): Promise<string | null>
}

/** What tells a fork's original: copied messages keep their creation times, to the millisecond. */
export interface ForkFacts {
  title: string
  created: number
  /** The creation time of the last message copied. */
  copiedAt: number
}

/** A fork is titled `<original title> (fork #N)`; forking it again counts on from that title. */
export const FORK_TITLE = / \(fork #(\d+)\)$/

/** OpenCode's placeholder until its title agent names the session (its session.ts, `isDefaultTitle`). */
const PLACEHOLDER_TITLE = /^(?:New session - |Child session - )\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** The session's title to show: none for the placeholder (left when naming failed), so the first request names it. */
export function shownTitle(title: string | null): string | null {
  return title && !PLACEHOLDER_TITLE.test(title) ? title : null
}

/** `provider/model`, as OpenCode names models (`opencode run -m provider/model`), from a message's info. */
export function modelOf(info: Json): string | null {
  const model = text(info.modelID)
  if (!model) return null
  const provider = text(info.providerID)
  return provider ? `${provider}/${model}` : model
}

/** A message's creation time, from its info. */
export function createdTime(info: Json): number | null {
  return isRecord(info.time) ? timeOf(info.time.created) : null
}

/** Leaves out what is not there, so `extra` holds only what OpenCode recorded. */
function present(fields: Json): Json {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined && value !== ''))
}

export function timeOf(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Extra facts common to both sources, from their own field names. */
export function extraFacts(fields: {slug: unknown; projectId: unknown; agent: unknown; shareUrl: unknown; archived: unknown; path: unknown; revert: unknown}): Json {
  return present({
    agent: text(fields.agent),
    archivedAt: isoTime(fields.archived),
    path: text(fields.path),
    projectId: text(fields.projectId),
    // The user undid the conversation from this message on; OpenCode still stores the rest.
    revertedFromMessage: isRecord(fields.revert) ? text(fields.revert.messageID) : null,
    shareUrl: text(fields.shareUrl),
    slug: text(fields.slug),
  })
}

/** Both sources order messages by creation time, then by id (ids ascend within a millisecond). */
export function byCreation(a: {id: string; created: number}, b: {id: string; created: number}): number {
  return a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Parses a message's or part's JSON. A corrupt one costs only itself: the warning names the
 * session and the record, and the rest of the session is still read.
 */
export function parseRecord(raw: unknown, where: string, warn: (message: string) => void): Json | null {
  if (typeof raw !== 'string') {
    warn(`${where}: has no JSON data; skipped`)
    return null
  }

  const parsed = parseObject(raw)
  if (!parsed.ok) warn(`${where}: its JSON data is corrupt (${parsed.reason}); skipped`)
  return parsed.ok ? parsed.value : null
}

/** 1.x's `task`, which OpenCode 2 calls `subagent`. */
const SPAWNING_TOOLS = new Set(['task', 'subagent'])

/** SQL, true for a row whose JSON `data` may hold a call of a spawning tool: it names one, as a string. */
export const MAY_SPAWN_SQL = `(${[...SPAWNING_TOOLS].map((name) => `instr(data, '${JSON.stringify(name)}') > 0`).join(' OR ')})`

/**
 * The call in a parent session that started `childId`. The parent is searched once per run for
 * the calls of all its children, in what `parts` gives (those that may hold one), `store` naming
 * where it is kept: searched once for each child, a parent of many MB with hundreds of subagents
 * made reading them quadratic.
 */
export async function spawningCallIn(store: string, parentId: string, childId: string, parts: () => Promise<Json[]>, ctx: ReaderContext): Promise<string | null> {
  const calls = await ctx.kit.oncePerRun(ctx, `${store}\n${parentId}`, async () => spawningCalls(await parts()))
  return calls.get(childId) ?? null
}

/** The calls among `parts` that started child sessions: child session id → the first call naming it. */
function spawningCalls(parts: Iterable<Json>): Map<string, string> {
  const calls = new Map<string, string>()
  for (const part of parts) {
    const child = spawnedSessionId(part)
    const call = text(part.callID)
    if (child && call && !calls.has(child)) calls.set(child, call)
  }

  return calls
}

/**
 * The call of the tool that started a child session: its metadata names the child (`sessionId`;
 * `sessionID` in 2.x), and in 1.x its output (`<task id="ses_…">`, older `task_id: ses_…`) does too.
 */
export function spawnedSessionId(part: Json): string | null {
  if (part.type !== 'tool' || !SPAWNING_TOOLS.has(String(part.tool)) || !isRecord(part.state)) return null
  const metadata = isRecord(part.state.metadata) ? part.state.metadata : {}
  const fromMetadata = text(metadata.sessionId) ?? text(metadata.sessionID)
  if (fromMetadata) return fromMetadata
  const output = text(part.state.output) ?? ''
  return /<task id="([^"]+)"/.exec(output)?.[1] ?? /task_id: (ses_\w+)/.exec(output)?.[1] ?? null
}
