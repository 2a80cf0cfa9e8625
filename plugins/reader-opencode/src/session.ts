import type {Message, ReaderContext, Session, Usage} from 'sessionsync'
import type {Json} from './json.js'
import {isoTime} from './json.js'
import {callUsage, FILES_CHANGED, toMessages} from './messages.js'
import type {ForkFacts, StoredMessage, StoredSession} from './stored.js'
import {createdTime, FORK_TITLE, modelOf, shownTitle} from './stored.js'

const assistantInfos = (messages: StoredMessage[]): Json[] => messages.map((message) => message.info).filter((info) => info.role === 'assistant')

/**
 * Tokens and cost of every assistant message (the session's own totals are 0 on older rows): the
 * sum of the messages' usage, and of a message that left nothing to show (no message holds it).
 */
function usageOf(messages: StoredMessage[], ctx: ReaderContext): Usage | null {
  const infos = assistantInfos(messages)
  return infos.length === 0 ? null : ctx.kit.totalUsage(infos.flatMap((info) => callUsage(info) ?? []))
}

function modelsOf(messages: StoredMessage[]): string[] {
  return [...new Set(assistantInfos(messages).flatMap((info) => modelOf(info) ?? []))]
}

/**
 * OpenCode's tools that write files, with the input field naming the file (`filePath`, `path`
 * since OpenCode 2) or holding a patch that names them, and its own record of the files a step
 * changed (its `patch` parts), which has a shell command's changes too but is kept only in a
 * git work tree.
 */
const FILE_PATH = ['filePath', 'path']
const FILE_CHANGES = {events: [FILES_CHANGED], patches: {apply_patch: 'patchText', patch: 'patchText'}, tools: {edit: FILE_PATH, multiedit: FILE_PATH, write: FILE_PATH}}

/** A fork is a new session titled `… (fork #N)`; OpenCode keeps no link to the original. */
function forkNumber(title: string | null): number | null {
  const match = title ? FORK_TITLE.exec(title) : null
  return match ? Number(match[1]) : null
}

/** A fork's messages copied from the original: created before the fork itself, as they keep their times. */
export function copiedPart({info, messages}: StoredSession): {messages: number; facts: ForkFacts | null} | null {
  if (info.created === null || (forkNumber(info.title) === null && info.forkedFrom === null)) return null
  const own = messages.findIndex((message) => !((createdTime(message.info) ?? Number.POSITIVE_INFINITY) < info.created!))
  const copied = own === -1 ? messages.length : own
  const copiedAt = copied === 0 ? null : createdTime(messages[copied - 1].info)
  return {facts: copiedAt === null ? null : {copiedAt, created: info.created, title: info.title ?? ''}, messages: copied}
}

/**
 * Where the user undid the session from (`/undo`, a revert): OpenCode shows nothing after it,
 * has rolled its file changes back, and drops those messages at the next prompt. They are kept,
 * after a mark. The number of messages when nothing was undone.
 */
function undoneFromIndex(messages: readonly StoredMessage[], extra: Json): number {
  const index = typeof extra.revertedFromMessage === 'string' ? messages.findIndex((message) => message.id === extra.revertedFromMessage) : -1
  return index === -1 ? messages.length : index
}

function undoneMark(): Message {
  const text = 'The user undid the session from here on: OpenCode no longer shows what follows, has rolled back its file changes, and drops it at the next prompt.'
  return {blocks: [{kind: 'undo', text, type: 'event'}], id: null, model: null, role: 'system', timestamp: null, usage: null}
}

/** How this session relates to others: the call that started it (a subagent), the session it was forked from. */
export interface SessionLinks {
  parentToolCallId: string | null
  forkedFrom: string | null
  /** How many stored messages at the start a fork copied; null when not a fork. */
  copied: number | null
}

export async function buildSession(stored: StoredSession, sourcePath: string, links: SessionLinks, ctx: ReaderContext): Promise<Session> {
  const {info, messages} = stored
  const fork = forkNumber(info.title)
  const where = `${sourcePath}: session ${info.id}`
  const copied = links.copied ?? 0
  const undoneFrom = undoneFromIndex(messages, info.extra)
  // What the user undid may start among a fork's copies or in its own part: the mark goes there.
  const split = (from: number, to: number) => {
    const cut = Math.min(Math.max(undoneFrom, from), to)
    const [kept, undone] = [toMessages(messages.slice(from, cut), ctx, where), toMessages(messages.slice(cut, to), ctx, where)]
    return {kept, shown: undone.length > 0 && undoneFrom >= from ? [...kept, undoneMark(), ...undone] : [...kept, ...undone]}
  }

  const copies = split(0, copied).shown
  const own = split(copied, messages.length)
  return {
    agent: 'opencode',
    copiedMessages: links.copied === null ? null : copies.length,
    createdAt: isoTime(info.created),
    extra: fork === null ? info.extra : {...info.extra, fork},
    // A fork's copies changed nothing: the original did; what the user undid was rolled back.
    filesChanged: ctx.kit.changedFiles(own.kept, FILE_CHANGES, info.directory),
    forkedFrom: links.forkedFrom,
    // OpenCode records no branch anywhere: the branch the session's folder is on now stands in.
    gitBranch: await ctx.kit.branchAtExport(info.directory, ctx),
    id: info.id,
    messages: [...copies, ...own.shown],
    models: modelsOf(messages),
    parentId: info.parentId,
    parentToolCallId: info.parentId ? links.parentToolCallId : null,
    schemaVersion: 1,
    source: {agentVersion: info.version, path: sourcePath},
    summary: null,
    title: shownTitle(info.title) ?? '',
    updatedAt: isoTime(info.updated),
    usage: usageOf(messages, ctx),
    workspace: info.directory,
  }
}
