import type {Dirent} from 'node:fs'
import {readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import type {ReaderContext, SessionRef} from 'sessionsync'
import type {PiHeader} from './format.js'
import {isoTime, text} from './format.js'
import {loadSessionFile} from './load.js'
import {branchAtExport, branchId, leftBranches, sessionTitle} from './session.js'
import {SessionTree} from './tree.js'

/**
 * Lines read at discovery: the header, the model and thinking-level entries Pi writes before
 * the first prompt, and that prompt with the first replies (the title until the name is read).
 */
const HEAD_LINES = 8

/** Every `*.jsonl` under a folder: per-project subfolders by default, flat with `--session-dir`. */
async function* sessionFiles(folder: string, ctx: ReaderContext): AsyncGenerator<string> {
  let children: Dirent[]
  try {
    children = await readdir(folder, {withFileTypes: true})
  } catch (error) {
    ctx.warn(`${folder}: could not be listed (${(error as Error).message})`)
    return
  }

  for (const child of children.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, child.name)
    if (child.isDirectory()) yield* sessionFiles(full, ctx)
    else if (child.isFile() && child.name.endsWith('.jsonl')) yield full
  }
}

type BaseRef = Omit<SessionRef, 'id' | 'title'>

async function baseRef(file: string, header: PiHeader, ctx: ReaderContext, gitBranches: Map<string, string[]>): Promise<BaseRef | null> {
  const info = await stat(file).catch(() => null)
  if (!info) return null
  const cwd = text(header.cwd) || null
  // One lookup per work tree: every session of a project shares it.
  const key = cwd ?? ''
  if (!gitBranches.has(key)) gitBranches.set(key, (await branchAtExport(cwd ?? undefined, ctx)).seen)
  return {
    agent: 'pi',
    createdAt: isoTime(header.timestamp),
    fingerprint: ctx.kit.fileFingerprint(info),
    gitBranches: gitBranches.get(key)!,
    parentId: null,
    sizeBytes: info.size,
    sourcePath: file,
    updatedAt: info.mtime.toISOString(),
    workspace: cwd,
  }
}

/** The session of one file, from its first lines. */
async function* cheapRefs(file: string, ctx: ReaderContext, gitBranches: Map<string, string[]>): AsyncGenerator<SessionRef> {
  const head = await loadSessionFile(file, ctx, {maxLines: HEAD_LINES, reportLines: false})
  const base = head && (await baseRef(file, head.header, ctx, gitBranches))
  // When the user went back to the first prompt and asked again, the later prompt is the one continued.
  if (head && base) yield {...base, id: head.header.id, title: sessionTitle(head.entries, new SessionTree(head.entries).activePath()) || null}
}

/**
 * With `--all-branches` the whole file is read at discovery, as the branches a session left
 * are only known from its whole tree: one more session per abandoned branch.
 */
async function* allBranchRefs(file: string, ctx: ReaderContext, gitBranches: Map<string, string[]>): AsyncGenerator<SessionRef> {
  const piFile = await loadSessionFile(file, ctx, {reportLines: false})
  const base = piFile && (await baseRef(file, piFile.header, ctx, gitBranches))
  if (!piFile || !base) return
  const tree = new SessionTree(piFile.entries)
  const title = sessionTitle(piFile.entries, tree.activePath())
  yield {...base, id: piFile.header.id, title: title || null}
  for (const [index, branch] of leftBranches(piFile, tree).entries()) {
    const number = index + 1
    yield {...base, id: branchId(piFile.header.id, branch.leafId), locator: {leafId: branch.leafId, number}, title: `${title} (branch ${number})`}
  }
}

export async function* discoverSessions(roots: string[], ctx: ReaderContext): AsyncGenerator<SessionRef> {
  const gitBranches = new Map<string, string[]>()
  const refsOf = ctx.options.allBranches === true ? allBranchRefs : cheapRefs
  for (const root of roots) {
    for await (const file of sessionFiles(root, ctx)) yield* refsOf(file, ctx, gitBranches)
  }
}
