import {createHash} from 'node:crypto'
import {type Stats, statSync} from 'node:fs'
import path from 'node:path'
import type {ReaderContext, SessionRef} from 'sessionsync'
import {z} from 'zod'
import {subagentSessionId} from './conversation.js'
import {entriesOf} from './folders.js'
import {sessionStart} from './fork-start.js'
import {retentionMs} from './locate.js'
import type {Locator} from './locator.js'
import {workspaceOf} from './project-folder.js'
import {mentionsBranch, type Peek, peek, PeekSchema} from './peek.js'
import {agentIdOfFile, isSideCall, NO_SUBAGENTS, readMeta, subagentsFolderOf} from './subagent-files.js'
import {inlineSidechains, resumedThread} from './thread.js'
import {loadTranscript} from './transcript.js'

/** Claude Code's first subagents lived inside the parent's file, as sidechain records. */
const INLINE_SIDECHAIN_VERSION = /^1\./
/** 2.0.x started a throwaway "Warmup" agent with every session. */
const WARMUP_PROMPT = 'Warmup'

interface Found {
  file: string
  /** The project folder it is in. */
  project: string
  info: Stats
  peek: Peek
}

/**
 * Every session in every project folder: main transcripts, subagent files of both layouts,
 * and the inline subagents of 1.0.x files. Each file is only peeked at (first and last
 * records plus size and time); the workspace comes from the `cwd` inside, never from the
 * folder name alone, which Claude Code encodes lossily (but a session in a folder renamed after
 * its project moved counts as the run's workspace's, see `movedWorkspace`).
 */
export async function* discoverSessions(roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const jobs: Array<() => Promise<SessionRef[]>> = []
  for (const root of roots) {
    const retention = await retentionMs(root, ctx)
    for (const project of subfolders(root, ctx)) {
      const entries = entriesOf(project, ctx)
      // Only sessions with a folder of their own can have subagents there: no listing for the others.
      const folders = new Set(entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name))
      const transcripts = new Set(entries.filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl')).map((entry) => entry.name))
      for (const name of transcripts) jobs.push(() => sessionsOfFile(path.join(project, name), folders, retention, ctx))
      // A session folder whose transcript is gone (deleted by hand, or by Claude Code's cleanup) still holds subagents.
      for (const folder of folders) if (!transcripts.has(`${folder}.jsonl`)) jobs.push(() => orphanSubagents(path.join(project, folder), retention, ctx))
    }
  }

  // Files are peeked at several at a time: each is a few small reads, mostly waiting on the disk.
  for await (const [, refs] of ctx.kit.readAhead(jobs, () => 0, (job) => job(), PEEKS_AT_ONCE)) yield* refs
}

const PEEKS_AT_ONCE = {bytes: 0, count: 16}

/** The sessions one file holds: itself (or the subagent it is), its subagents' files, its inline subagents. */
async function sessionsOfFile(file: string, folders: ReadonlySet<string>, retention: number, ctx: ReaderContext): Promise<SessionRef[]> {
  try {
    const found = await examine(file, path.dirname(file), ctx)
    if (!found) return []
    const name = path.basename(file)
    const agentId = agentIdOfFile(name)
    if (agentId) return compact([await subagentRef(found, agentId, found.peek.sessionId, retention, ctx)])
    if (name.startsWith('agent-')) return []
    const sessionId = name.slice(0, -'.jsonl'.length)
    const sessionFolder = path.join(path.dirname(file), sessionId)
    const {sideCalls, subagents} = folders.has(sessionId) ? subagentsFolderOf(sessionFolder, ctx) : NO_SUBAGENTS
    const fingerprint = withSideCalls(ctx.kit.fileFingerprint(found.info), sideCalls, ctx)
    const createdAt = await sessionStart(file, found.info, sessionId, found.peek, ctx)
    const main = await withBranchHint({...baseRef(found, retention, ctx), createdAt, fingerprint, id: sessionId, locator: {file, kind: 'main'} satisfies Locator, parentId: null}, found, ctx)
    const refs: Array<SessionRef | null> = [main]
    if (ctx.options.allBranches === true) refs.push(...(await leftBranchRefs(found, main, ctx)))
    for (const subagentFile of subagents) refs.push(await subagentInFolder(subagentFile, sessionFolder, retention, ctx))

    if (INLINE_SIDECHAIN_VERSION.test(found.peek.version ?? '')) refs.push(...(await inlineSubagentRefs(found, sessionId, retention, ctx)))
    return compact(refs)
  } catch (error) {
    ctx.warn(`${file}: cannot be read (${(error as Error).message}), skipped`)
    return []
  }
}

/**
 * A main session's fingerprint with its side calls' files, which its export reads too: a `/btw`
 * question answered after the last turn changes its own file only. Their stats alone, no read.
 */
function withSideCalls(fingerprint: string, sideCalls: readonly string[], ctx: ReaderContext): string {
  if (sideCalls.length === 0) return fingerprint
  const stamps = sideCalls.map((file) => {
    const info = ctx.kit.statOrNull(file)
    return `${path.basename(file)}:${info ? ctx.kit.fileFingerprint(info) : 'gone'}`
  })
  return `${fingerprint}+${createHash('sha256').update(stamps.join('\n')).digest('hex').slice(0, 16)}`
}

const compact = (refs: Array<SessionRef | null>): SessionRef[] => refs.filter((ref) => ref !== null)

async function orphanSubagents(sessionFolder: string, retention: number, ctx: ReaderContext): Promise<SessionRef[]> {
  const refs: Array<SessionRef | null> = []
  for (const file of subagentsFolderOf(sessionFolder, ctx).subagents) refs.push(await subagentInFolder(file, sessionFolder, retention, ctx))
  return compact(refs)
}

/** A subagent transcript under `<session>/subagents/`: the folder names its parent. */
async function subagentInFolder(file: string, sessionFolder: string, retention: number, ctx: ReaderContext): Promise<SessionRef | null> {
  const found = await examine(file, path.dirname(sessionFolder), ctx)
  return found && subagentRef(found, agentIdOfFile(path.basename(file))!, path.basename(sessionFolder), retention, ctx)
}

/**
 * The sessions of files Claude Code wrote, created or deleted, found as `discoverSessions` finds
 * them: a transcript with its subagents, one subagent's transcript, or a side call's, which is
 * its session's. Anything else (an index, a tool's output, a file gone) holds none.
 */
export async function* discoverFiles(files: string[], roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  for (const file of new Set(files.map(sessionOfSideCall))) {
    const root = roots.find((candidate) => file.startsWith(candidate + path.sep))
    if (!root || !file.endsWith('.jsonl') || !ctx.kit.statOrNull(file)?.isFile()) continue
    const retention = await retentionMs(root, ctx)
    // <project>/<session>.jsonl, <project>/agent-<id>.jsonl, or <project>/<session>/subagents/…/agent-<id>.jsonl.
    const [project, ...rest] = path.relative(root, file).split(path.sep)
    if (rest.length === 1) {
      const sessionId = rest[0].replace(/\.jsonl$/, '')
      const folders = new Set(ctx.kit.statOrNull(path.join(root, project, sessionId))?.isDirectory() ? [sessionId] : [])
      yield* await sessionsOfFile(file, folders, retention, ctx)
    } else if (rest[1] === 'subagents' && agentIdOfFile(path.basename(file))) {
      const ref = await subagentInFolder(file, path.join(root, project, rest[0]), retention, ctx)
      if (ref) yield ref
    }
  }
}

/** For `<session>/subagents/agent-a<call>-<id>.jsonl`, the file `<session>.jsonl`; any other file as it is. */
function sessionOfSideCall(file: string): string {
  const subagents = path.dirname(file)
  return isSideCall(path.basename(file)) && path.basename(subagents) === 'subagents' ? `${path.dirname(subagents)}.jsonl` : file
}

function subfolders(root: string, ctx: ReaderContext): string[] {
  return entriesOf(root, ctx)
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, entry.name))
}

/** Size, time and a peek at a file; null for files that hold no conversation. */
async function examine(file: string, project: string, ctx: ReaderContext): Promise<Found | null> {
  let info: Stats
  try {
    // Synchronous on purpose: a stat takes microseconds, a round trip through the thread pool longer.
    info = statSync(file)
  } catch (error) {
    ctx.warn(`${file}: cannot be read (${(error as Error).message}), skipped`)
    return null
  }

  if (info.size === 0) {
    ctx.warn(`${file}: empty file (0 bytes), skipped`)
    return null
  }

  // Unchanged since the last run (same size and mtime): what was seen then still holds.
  let found: Peek
  try {
    found = (await ctx.kit.remembered(ctx.memo, file, ctx.kit.fileFingerprint(info), (value) => PeekSchema.safeParse(value).data, () => peek(file, info.size, ctx)))
  } catch (error) {
    ctx.warn(`${file}: cannot be read (${(error as Error).message}), skipped`)
    return null
  }

  // Claude Code leaves files holding only settings (a `/model` before the first prompt).
  if (found.wholeFile && !found.hasConversation) {
    ctx.debug(`${file}: no conversation in it, skipped`)
    return null
  }

  return {file, info, peek: found, project}
}

function baseRef(found: Found, retention: number, ctx: ReaderContext) {
  const {file, info, peek: seen} = found
  const recorded = seen.relocatedCwd ?? seen.cwd
  return {
    agent: 'claude',
    createdAt: seen.startedAt,
    expiresAt: new Date(info.mtimeMs + retention).toISOString(),
    fingerprint: ctx.kit.fileFingerprint(info),
    gitBranches: seen.branches,
    sizeBytes: info.size,
    sourcePath: file,
    title: seen.title ?? seen.firstPrompt,
    updatedAt: seen.endedAt ?? info.mtime.toISOString(),
    workspace: recorded && workspaceOf(recorded, found.project, ctx),
  }
}

/** With `--branch`, a branch the head and tail do not show is searched for in the rest of the file. */
async function withBranchHint(ref: SessionRef, found: Found, ctx: ReaderContext): Promise<SessionRef> {
  const wanted = ctx.hints.branch
  if (!wanted || found.peek.wholeFile || ref.gitBranches.includes(wanted)) return ref
  return (await mentionsBranch(found.file, wanted)) ? {...ref, gitBranches: [...ref.gitBranches, wanted]} : ref
}

async function subagentRef(found: Found, agentId: string, parentId: string | null, retention: number, ctx: ReaderContext): Promise<SessionRef | null> {
  if (found.peek.firstPrompt === WARMUP_PROMPT) {
    ctx.debug(`${found.file}: a warm-up agent, not a subagent of the conversation; skipped`)
    return null
  }

  if (!parentId) {
    ctx.warn(`${found.file}: a subagent transcript that names no parent session, skipped`)
    return null
  }

  // The meta file is written when the subagent starts: while its transcript is unchanged, so is what it says.
  const parse = (value: unknown) => MetaTitleSchema.safeParse(value).data
  const {description} = await ctx.kit.remembered(ctx.memo, `${found.file}#meta`, ctx.kit.fileFingerprint(found.info), parse, async () => ({description: readMeta(found.file)?.description ?? null}))
  const base = baseRef(found, retention, ctx)
  return {
    ...base,
    id: subagentSessionId(agentId),
    locator: {agentId, file: found.file, kind: 'subagent', parentId} satisfies Locator,
    parentId,
    title: description ?? base.title,
  }
}

/** 1.0.x subagents are found by walking the file's graph: the one case discovery reads a whole file. */
async function inlineSubagentRefs(found: Found, parentId: string, retention: number, ctx: ReaderContext): Promise<SessionRef[]> {
  const parse = (value: unknown) => InlineSidechainsSchema.safeParse(value).data
  const sidechains = (await ctx.kit.remembered(ctx.memo, `${found.file}#sidechains`, ctx.kit.fileFingerprint(found.info), parse, () => findInlineSidechains(found.file, ctx)))
  const base = baseRef(found, retention, ctx)
  return sidechains.map(({endedAt, key, startedAt}) => ({
    ...base,
    createdAt: startedAt,
    updatedAt: endedAt ?? base.updatedAt,
    id: subagentSessionId(key),
    locator: {file: found.file, key, kind: 'inline', parentId} satisfies Locator,
    parentId,
    title: null,
  }))
}

/**
 * With `--all-branches`, each branch the user left by rewinding, as a session of its own named
 * after the main one. Finding them takes the whole file's graph, remembered while it is unchanged.
 */
async function leftBranchRefs(found: Found, main: SessionRef, ctx: ReaderContext): Promise<SessionRef[]> {
  const parse = (value: unknown) => LeafUuidsSchema.safeParse(value).data
  const leaves = await ctx.kit.remembered(ctx.memo, `${found.file}#branches`, ctx.kit.fileFingerprint(found.info), parse, async () => {
    // Its corrupt lines are reported when the session is read.
    const transcript = await loadTranscript(found.file, {...ctx, warn: ctx.debug}, {keepContent: false})
    return resumedThread(transcript.nodes, (node) => !node.sidechain).abandonedLeaves
  })
  return leaves.map((leafUuid, index) => ({
    ...main,
    ...ctx.kit.leftBranch({id: main.id, title: main.title ?? main.id}, leafUuid, index + 1),
    locator: {file: found.file, kind: 'branch', leafUuid, number: index + 1} satisfies Locator,
  }))
}

const LeafUuidsSchema = z.array(z.string())

const MetaTitleSchema = z.object({description: z.string().nullable()})

const InlineSidechainsSchema = z.array(z.object({key: z.string(), startedAt: z.string().nullable(), endedAt: z.string().nullable()}))

async function findInlineSidechains(file: string, ctx: ReaderContext): Promise<z.infer<typeof InlineSidechainsSchema>> {
  const transcript = await loadTranscript(file, ctx, {keepContent: false})
  return inlineSidechains(transcript.nodes).map((sidechain) => {
    // Its last record in the file, not the file's: the main thread goes on after it.
    const last = [...sidechain.members].map((uuid) => transcript.nodes.get(uuid)!).reduce((latest, node) => (node.order > latest.order ? node : latest))
    return {endedAt: last.timestamp || null, key: sidechain.key, startedAt: sidechain.root.timestamp || null}
  })
}
