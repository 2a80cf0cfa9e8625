import {closeSync, type Dirent, openSync, readdirSync, readSync, realpathSync, type Stats} from 'node:fs'
import path from 'node:path'
import type {ReaderContext, SessionRef} from 'sessionsync'
import {z} from 'zod'
import {lastTime, sessionName} from './facts.js'
import type {Json, PiHeader} from './format.js'
import {isoTime, isRecord, text} from './format.js'
import {loadSessionFile} from './load.js'
import {type FileSessions, newestOfEachSession} from './same-session.js'
import {workspaceOf} from './locate.js'
import {leftBranches, sessionTitle} from './session.js'
import {SessionTree} from './tree.js'

/**
 * Lines read at discovery: the header, the model and thinking-level entries Pi writes before
 * the first prompt, and that prompt with the first replies (the title until the name is read).
 */
const HEAD_LINES = 8

/**
 * Every `*.jsonl` under a folder: per-project subfolders by default, flat with `--session-dir`.
 * Symbolic links are followed, as Pi 1.x follows a linked project folder; `visited` (real
 * paths) keeps a link back up the tree from looping. Listed synchronously, like the files are
 * stat'ed: a round trip through the thread pool costs more.
 */
function* sessionFiles(folder: string, ctx: ReaderContext, visited = new Set<string>()): Generator<string> {
  let children: Dirent[]
  try {
    const real = realpathSync(folder)
    if (visited.has(real)) return
    visited.add(real)
    children = readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    ctx.warn(`${folder}: could not be listed (${(error as Error).message})`)
    return
  }

  for (const child of children.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, child.name)
    const target = child.isSymbolicLink() ? ctx.kit.statOrNull(full) : child
    if (target?.isDirectory()) yield* sessionFiles(full, ctx, visited)
    else if (isSessionFile(full, target)) yield full
  }
}

type BaseRef = Omit<SessionRef, 'id' | 'title'>

/**
 * What discovery keeps of a file between runs (see `ctx.memo`): what its head says, and the
 * name the user gave the session wherever the file sets it.
 */
const HeadFactsSchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  name: z.string().nullable(),
  cwd: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** The time of the last entry, when the end of the file holds one whole. */
  endedAt: z.string().nullable(),
})
type HeadFacts = z.infer<typeof HeadFactsSchema>

async function baseRef(file: string, info: Stats, facts: Pick<HeadFacts, 'cwd' | 'createdAt' | 'endedAt'>, ctx: ReaderContext): Promise<BaseRef> {
  const workspace = facts.cwd && workspaceOf(facts.cwd, file, ctx)
  const {seen} = await ctx.kit.branchAtExport(workspace || null, ctx)
  return {
    agent: 'pi',
    createdAt: facts.createdAt,
    fingerprint: ctx.kit.fileFingerprint(info),
    gitBranches: seen,
    parentId: null,
    sizeBytes: info.size,
    sourcePath: file,
    // A copied history keeps its entries' times, not always its files'.
    updatedAt: facts.endedAt ?? info.mtime.toISOString(),
    workspace,
  }
}

const headerFacts = (header: PiHeader) => ({createdAt: isoTime(header.timestamp), cwd: text(header.cwd) || null})

/** The session of one file, from its first lines, or from the last run's look when the file is unchanged. */
async function* cheapRefs(file: string, ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const info = ctx.kit.statOrNull(file)
  if (!info) return
  const facts = await ctx.kit.remembered(ctx.memo, file, ctx.kit.fileFingerprint(info), (value) => HeadFactsSchema.safeParse(value).data, async (): Promise<HeadFacts | null> => {
    const head = await loadSessionFile(file, ctx, {maxLines: HEAD_LINES, reportLines: false})
    // When the user went back to the first prompt and asked again, the later prompt is the one continued.
    return head && {...headerFacts(head.header), endedAt: lastEntryTime(file, info.size), id: head.header.id, name: await nameSetIn(file, ctx), title: sessionTitle(head.entries, new SessionTree(head.entries).activePath(), ctx) || null}
  })
  if (!facts) return
  yield {...(await baseRef(file, info, facts, ctx)), id: facts.id, title: facts.name ?? facts.title}
}

/** Ends of a file read for its last entry: most entries fit in the first, a long tool result in the second. */
const TAIL_WINDOWS = [4 * 1024, 64 * 1024]

/** The time of a file's last entry, or null when its last 64 KB hold no whole entry with a time. */
function lastEntryTime(file: string, size: number): string | null {
  const descriptor = openSync(file, 'r')
  try {
    for (const window of TAIL_WINDOWS) {
      const length = Math.min(size, window)
      const tail = Buffer.allocUnsafe(length)
      readSync(descriptor, tail, 0, length, size - length)
      // A window that starts inside the file starts inside a line; the last line may be unfinished.
      const lines = tail.toString('utf8').split('\n')
      for (let index = lines.length - 1; index >= (length < size ? 1 : 0); index--) {
        const time = timeOfLine(lines[index])
        if (time) return time
      }

      if (length === size) break
    }

    return null
  } finally {
    closeSync(descriptor)
  }
}

function timeOfLine(line: string): string | null {
  try {
    const value: unknown = JSON.parse(line)
    return isRecord(value) ? isoTime(value.timestamp) : null
  } catch {
    return null
  }
}

const SESSION_INFO = Buffer.from('"session_info"')

/**
 * The name the user gave the session (`/name`), wherever in the file: Pi appends it when it is
 * set, often past the head. Only the lines of `session_info` entries are parsed. Without it,
 * `list` and the export's file name took the first prompt for the title the export shows.
 */
async function nameSetIn(file: string, ctx: ReaderContext): Promise<string | null> {
  const entries: Json[] = []
  for await (const {value} of ctx.kit.readJsonLines(file, {passOver: (bytes) => !bytes.includes(SESSION_INFO)})) if (isRecord(value)) entries.push(value)
  return sessionName(entries)
}

/**
 * With `--all-branches` the whole file is read at discovery, as the branches a session left
 * are only known from its whole tree: one more session per abandoned branch.
 */
async function* allBranchRefs(file: string, ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const info = ctx.kit.statOrNull(file)
  const piFile = info && (await loadSessionFile(file, ctx, {reportLines: false}))
  if (!info || !piFile) return
  const base = await baseRef(file, info, {...headerFacts(piFile.header), endedAt: lastTime(piFile.entries)}, ctx)
  const tree = new SessionTree(piFile.entries)
  const title = sessionTitle(piFile.entries, tree.activePath(), ctx)
  yield {...base, id: piFile.header.id, title: title || null}
  for (const [index, branch] of leftBranches(piFile, tree).entries()) {
    const number = index + 1
    yield {...base, ...ctx.kit.leftBranch({id: piFile.header.id, title}, branch.leafId, number), locator: {leafId: branch.leafId, number}}
  }
}

export function discoverSessions(roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  return sessionsOfFiles(roots.flatMap((root) => [...sessionFiles(root, ctx)]), ctx)
}

/**
 * The sessions of files Pi wrote, created or deleted: each session file is one session (and,
 * with `--all-branches`, its left branches); a file gone holds none.
 */
export function discoverFiles(files: string[], _roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  return sessionsOfFiles(files.filter((file) => isSessionFile(file, ctx.kit.statOrNull(file))), ctx)
}

/** Pi names its session files `*.jsonl`. */
function isSessionFile(file: string, target: {isFile(): boolean} | null | undefined): boolean {
  return target?.isFile() === true && file.endsWith('.jsonl')
}

async function* sessionsOfFiles(files: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const refsOf = ctx.options.allBranches === true ? allBranchRefs : cheapRefs
  // Several files at once: a head read is mostly waiting on the disk.
  const refsOfFile = async (file: string) => {
    const refs: SessionRef[] = []
    try {
      for await (const ref of refsOf(file, ctx)) refs.push(ref)
    } catch (error) {
      ctx.warn(`${file}: could not be read (${(error as Error).message}), skipped`)
    }

    return refs
  }

  const read: FileSessions[] = []
  for await (const [file, refs] of ctx.kit.readAhead(files, () => 0, refsOfFile, {bytes: 0, count: 16})) read.push({file, refs})
  // All files are read before any session is given: a later one may hold a newer copy of a session.
  for (const {refs} of newestOfEachSession(read, ctx)) yield* refs
}
