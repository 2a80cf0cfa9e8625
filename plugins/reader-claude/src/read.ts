import path from 'node:path'
import type {ReaderContext, Session, SessionRef} from 'sessionsync'
import {buildConversation} from './conversation.js'
import {type Locator, LocatorSchema} from './locator.js'
import {addSideCalls} from './side-calls.js'
import {toSession} from './session.js'
import {findSpawningCall, inlineSpawningCall} from './spawn-link.js'
import {readMeta, spawningCalls, subagentsFolderOf} from './subagent-files.js'
import {inlineSidechains, resumedThread, type Thread} from './thread.js'
import {type GraphNode, loadTranscript, recordsOf, type Transcript} from './transcript.js'

/** Reads one session (main or subagent) whole into the model. */
export async function readSession(ref: SessionRef, ctx: ReaderContext): Promise<Session> {
  const locator = LocatorSchema.parse(ref.locator)
  const transcript = await transcriptOf(locator, ctx)
  switch (locator.kind) {
    case 'main':
      return readMain(ref.id, transcript, ctx)
    case 'subagent':
      return readSubagentFile(ref.id, locator, transcript, ctx)
    case 'inline':
      return readInlineSubagent(ref.id, locator, transcript, ctx)
    case 'branch':
      return readBranch(locator, transcript, ctx)
  }
}

/**
 * Each branch a rewind left (`--all-branches`) and each 1.0.x inline subagent is a session of its
 * own in its main session's file: the file is loaded once for all of them.
 */
function transcriptOf(locator: Locator, ctx: ReaderContext): Promise<Transcript> {
  const more = locator.kind === 'branch' || locator.kind === 'inline' || (locator.kind === 'main' && ctx.options.allBranches === true)
  return ctx.kit.sharedLoad(ctx, locator.file, () => loadTranscript(locator.file, ctx, {keepContent: true}), more)
}

async function readMain(id: string, transcript: Transcript, ctx: ReaderContext): Promise<Session> {
  return sessionOfThread(id, transcript, threadOf(transcript, isMainThread, ctx), ctx, {sideCalls: true})
}

const isMainThread = (node: GraphNode) => !node.sidechain

/** `sideCalls`: add what Claude Code's own calls did, which belong to the main thread, not to a branch left by a rewind. */
async function sessionOfThread(id: string, transcript: Transcript, thread: Thread, ctx: ReaderContext, {sideCalls} = {sideCalls: false}): Promise<Session> {
  const sessionFolder = path.join(path.dirname(transcript.file), id)
  // Listed once, for the subagents' meta files and for the side calls.
  const subagentsFolder = subagentsFolderOf(sessionFolder, ctx)
  const spawned = spawningCalls(subagentsFolder.subagents)
  for (const sidechain of inlineSidechains(transcript.nodes)) {
    const callId = inlineSpawningCall(transcript.nodes, sidechain)
    if (callId) spawned.set(callId, sidechain.key)
  }

  const conversation = await buildConversation(recordsOf(thread.nodes), sessionFolder, ctx, spawned)
  if (sideCalls) await addSideCalls(conversation, subagentsFolder.sideCalls, ctx)
  return toSession({conversation, extra: {}, file: transcript.file, id, metadata: transcript.metadata, name: null, parentId: null, parentToolCallId: null, projectFolder: path.dirname(sessionFolder), thread}, ctx)
}

/**
 * A branch the user left by rewinding, as a session of its own: the main session's thread up to
 * where the user went back, then what was said on the branch. Those first messages are copies.
 */
async function readBranch(locator: Extract<Locator, {kind: 'branch'}>, transcript: Transcript, ctx: ReaderContext): Promise<Session> {
  const mainId = path.basename(locator.file, '.jsonl')
  const branch = threadOf(transcript, isMainThread, ctx, locator.leafUuid)
  const session = await sessionOfThread(mainId, transcript, branch, ctx)
  // A message is a copy when its record is on the main thread too (an assistant's by its API id).
  const onMain = new Set(resumedThread(transcript.nodes, isMainThread).nodes.flatMap((node) => (node.messageId ? [node.uuid, node.messageId] : [node.uuid])))
  const own = session.messages.findIndex((message) => !onMain.has(message.id ?? ''))
  return {...session, ...ctx.kit.leftBranch(session, locator.leafUuid, locator.number), copiedMessages: own === -1 ? session.messages.length : own, extra: {...session.extra, leafUuid: locator.leafUuid}, forkedFrom: mainId}
}

async function readSubagentFile(id: string, locator: Extract<Locator, {kind: 'subagent'}>, transcript: Transcript, ctx: ReaderContext): Promise<Session> {
  const thread = threadOf(transcript, () => true, ctx)
  const sessionFolder = parentSessionFolder(locator.file, locator.parentId)
  const meta = readMeta(locator.file)
  const parentToolCallId = meta?.toolUseId ?? (await findSpawningCall(`${sessionFolder}.jsonl`, locator.agentId, ctx))
  const conversation = await buildConversation(recordsOf(thread.nodes), sessionFolder, ctx, new Map())
  const extra = {agentId: locator.agentId, ...(meta?.agentType ? {agentType: meta.agentType} : {}), ...(meta?.description ? {description: meta.description} : {})}
  return toSession({conversation, extra, file: locator.file, id, metadata: null, name: meta?.description ?? null, parentId: locator.parentId, parentToolCallId, projectFolder: path.dirname(sessionFolder), thread}, ctx)
}

async function readInlineSubagent(id: string, locator: Extract<Locator, {kind: 'inline'}>, transcript: Transcript, ctx: ReaderContext): Promise<Session> {
  const sidechain = inlineSidechains(transcript.nodes).find((candidate) => candidate.key === locator.key)
  if (!sidechain) throw new Error(`${locator.file}: the subagent ${locator.key} is no longer in the file`)
  const thread = threadOf(transcript, (node) => sidechain.members.has(node.uuid), ctx)
  const sessionFolder = path.join(path.dirname(locator.file), locator.parentId)
  const conversation = await buildConversation(recordsOf(thread.nodes), sessionFolder, ctx, new Map())
  return toSession({conversation, extra: {agentId: locator.key}, file: locator.file, id, metadata: null, name: null, parentId: locator.parentId, parentToolCallId: inlineSpawningCall(transcript.nodes, sidechain), projectFolder: path.dirname(sessionFolder), thread}, ctx)
}

function threadOf(transcript: Transcript, members: (node: GraphNode) => boolean, ctx: ReaderContext, leafUuid: string | null = null): Thread {
  const thread = resumedThread(transcript.nodes, members, leafUuid)
  if (thread.cycle) ctx.warn(`${transcript.file}: the records' parent links form a loop; the conversation starts where the loop closed`)
  if (thread.rejoined > 0) ctx.debug(`${transcript.file}: ${thread.rejoined} record(s) whose parent is not in the file continue from the record before them`)
  return thread
}

/**
 * Tool outputs of a subagent live in its parent session's folder: `<project>/<parent>/`,
 * whether the transcript sits in `<parent>/subagents/` (2.1.x) or beside it (2.0.x).
 */
function parentSessionFolder(file: string, parentId: string): string {
  const marker = `${path.sep}${parentId}${path.sep}subagents${path.sep}`
  const index = file.lastIndexOf(marker)
  return index === -1 ? path.join(path.dirname(file), parentId) : file.slice(0, index + marker.length - `subagents${path.sep}`.length - 1)
}
