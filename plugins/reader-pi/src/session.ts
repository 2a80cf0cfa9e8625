import {stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReaderContext, Session} from 'sessionsync'
import {extensionState, firstPrompt, labels, lastTime, modelsUsed, sessionName} from './facts.js'
import type {PiEntry} from './format.js'
import {isoTime, isRecord, text} from './format.js'
import type {PiFile} from './load.js'
import {loadSessionFile} from './load.js'
import {workspaceOf} from './locate.js'
import {contextEdits, toMessage, withContextEdit, withLabel} from './messages.js'
import type {Branch} from './tree.js'
import {SessionTree} from './tree.js'
import {sumUsage} from './usage.js'

/** Which branch of the tree to read: the active one, or a branch the user left (`--all-branches`). */
export interface BranchChoice {
  leafId: string
  /** 1-based position among the abandoned branches, for the title. */
  number: number
}

/** The id in a session file's name, `<timestamp>_<id>.jsonl`: the time has no `_`, a custom id (`--session-id`) may. */
function idFromFileName(file: string): string | null {
  return /^[^_]*_(.+)\.jsonl$/.exec(path.basename(file))?.[1] ?? null
}

/**
 * The id of the session a fork was copied from. `parentSession` is the parent's path on the
 * machine that wrote it: its header when the file is here, else the id in its name.
 */
async function parentSessionId(parentFile: string, ctx: ReaderContext): Promise<string | null> {
  const here = await stat(parentFile).catch(() => null)
  const head = here?.isFile() ? await loadSessionFile(parentFile, ctx, {maxLines: 1, reportLines: false}) : null
  return head?.header.id ?? idFromFileName(parentFile)
}

/**
 * The branches a file's user left. A fork carries copies of its parent's entries with their
 * original times, older than the fork itself: branches ending there are the parent's to export.
 */
export function leftBranches({header}: PiFile, tree: SessionTree): Branch[] {
  const forkedAt = header.parentSession ? Date.parse(header.timestamp ?? '') : Number.NaN
  if (Number.isNaN(forkedAt)) return tree.abandonedBranches()
  return tree.abandonedBranches().filter((branch) => !(Date.parse(branch.path.at(-1)?.timestamp ?? '') < forkedAt))
}

/** A left branch repeats the active one up to where it split off. */
function sharedEntries(path: readonly PiEntry[], splitFrom: string | null): number {
  return splitFrom === null ? 0 : path.findIndex((entry) => entry.id === splitFrom) + 1
}

/** A fork starts with copies of its parent's entries, which keep their times: older than the fork. */
function entriesOlderThanFork(path: readonly PiEntry[], forkTime: string | undefined): number | null {
  const forkedAt = Date.parse(forkTime ?? '')
  if (Number.isNaN(forkedAt)) return null
  const own = path.findIndex((entry) => !(Date.parse(entry.timestamp ?? '') < forkedAt))
  return own === -1 ? path.length : own
}

function branchSummaries(branches: readonly Branch[]) {
  return branches.map((branch) => {
    const splitIndex = branch.path.findIndex((entry) => entry.id === branch.splitFrom)
    const own = branch.path.slice(splitIndex + 1)
    return {leafId: branch.leafId, messages: own.filter((entry) => entry.type === 'message').length, splitFrom: branch.splitFrom}
  })
}

export function sessionTitle(entries: readonly PiEntry[], path: readonly PiEntry[], ctx: ReaderContext): string {
  const prompt = firstPrompt(path)
  return sessionName(entries) ?? (prompt === null ? '' : ctx.kit.titleFromPrompt(prompt))
}

/** Pi's tools that write files, with the input field naming the file (a shell command's changes are not recorded). */
const FILE_CHANGES = {tools: {edit: 'path', write: 'path'}}

/** The Session model of one Pi file: the active branch, or the abandoned branch chosen. */
export async function buildSession(file: string, piFile: PiFile, branch: BranchChoice | null, ctx: ReaderContext): Promise<Session> {
  const {entries, header} = piFile
  const tree = new SessionTree(entries)
  const named: ReaderContext = {...ctx, debug: (message) => ctx.debug(`${file}: ${message}`)}
  const conversation = branch ? tree.pathTo(branch.leafId) : tree.activePath()
  const title = sessionTitle(entries, conversation, ctx)
  const forkedFrom = text(header.parentSession) ? await parentSessionId(header.parentSession!, ctx) : null
  const endedAt = lastTime(entries)
  const marks = labels(entries)
  const extra: Record<string, unknown> = {
    formatVersion: typeof header.version === 'number' ? header.version : 1,
    labels: Object.fromEntries(marks),
    parentSession: header.parentSession ?? null,
  }
  const recorded = text(header.cwd) || null
  const workspace = recorded && workspaceOf(recorded, file, ctx)
  // The folder it ran in, when the project has moved since (its paths name that folder).
  if (recorded !== workspace) extra.movedFrom = recorded
  const state = extensionState(entries)
  if (state.length > 0) extra.extensionState = state
  const thinkingLevel = conversation.findLast((entry) => entry.type === 'thinking_level_change')
  if (thinkingLevel) extra.thinkingLevel = thinkingLevel.thinkingLevel
  const branches = branchSummaries(leftBranches(piFile, tree))
  const chosen = branch ? (branches.find((candidate) => candidate.leafId === branch.leafId) ?? null) : null
  if (branch) extra.branch = chosen
  else extra.branches = branches

  const copied = branch ? sharedEntries(conversation, chosen?.splitFrom ?? null) : forkedFrom ? entriesOlderThanFork(conversation, header.timestamp) : null
  const edits = contextEdits(conversation)
  const toMessages = (part: PiEntry[]) => part.flatMap((entry) => withLabel(withContextEdit(toMessage(entry, named), entry, edits), marks) ?? [])
  const copiedMessages = toMessages(conversation.slice(0, copied ?? 0))
  const own = toMessages(conversation.slice(copied ?? 0))
  const main = {id: header.id, title}
  return {
    agent: 'pi',
    copiedMessages: copied === null ? null : copiedMessages.length,
    createdAt: isoTime(header.timestamp),
    extra,
    // A fork's copies changed nothing: the original did.
    filesChanged: ctx.kit.changedFiles(own, FILE_CHANGES, recorded, workspace),
    // An abandoned branch is exported as a session of its own, copied from the main one.
    forkedFrom: branch ? header.id : forkedFrom,
    // Pi stores no branch: the work tree's branch now stands in.
    gitBranch: await ctx.kit.branchAtExport(workspace, ctx),
    messages: [...copiedMessages, ...own],
    models: modelsUsed(conversation),
    parentId: null,
    parentToolCallId: null,
    schemaVersion: 1,
    source: {agentVersion: null, path: file},
    summary: null,
    updatedAt: endedAt ?? isoTime(header.timestamp),
    usage: sumUsage(conversation, ctx),
    workspace,
    ...(branch ? ctx.kit.leftBranch(main, branch.leafId, branch.number) : main),
  }
}

export function isBranchChoice(locator: unknown): locator is BranchChoice {
  return isRecord(locator) && typeof locator.leafId === 'string' && typeof locator.number === 'number'
}
