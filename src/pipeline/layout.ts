import {createHash} from 'node:crypto'
import path from 'node:path'
import type {SessionRef} from '../model/ref.js'
import {keptIn} from './kept.js'
import {safeSegment, segmentEndingWith, shortId, slugify} from './names.js'

export interface PlannedExport {
  ref: SessionRef
  /** Path of the export relative to the output folder, with `/` separators. */
  file: string
}

export interface LayoutOptions {
  extension: string
  /** Where each session was exported before (state file), by session key: reused so names never move. */
  previous: ReadonlyMap<string, string>
  /** Names already in a folder of the output (relative path, `/` separators): finds exports the state lost. */
  existingNames(folder: string): ReadonlySet<string>
  /** Whether a file there that no state records is the export of the session with this id, or a user's file. */
  isExportOf(file: string, id: string): boolean
}

/**
 * A link from one file of the output folder to another, both named relative to it. Resolved
 * against a root of their own: `path.posix.relative` would resolve them against the current
 * folder, which may no longer exist.
 */
export function linkBetween(fromFile: string, toFile: string): string {
  return path.posix.relative(path.posix.join('/', path.posix.dirname(fromFile)), path.posix.join('/', toFile))
}

export function sessionKey(ref: Pick<SessionRef, 'agent' | 'id'>): string {
  return `${ref.agent}/${ref.id}`
}

/**
 * Decides where each session is exported: `<agent>/<date>-<title slug>-<short id>.<ext>`,
 * subagents inside a folder named after their parent's file. Once a session has a file
 * it keeps it, even if its title changes later, so re-runs overwrite instead of duplicating.
 */
export function planLayout(refs: readonly SessionRef[], options: LayoutOptions): PlannedExport[] {
  const byKey = new Map(refs.map((ref) => [sessionKey(ref), ref]))
  const files = new Map<string, string>()
  const taken = new Set<string>()
  const planning = new Set<string>()
  const previousOwner = new Map<string, string>()
  for (const [key, file] of options.previous) previousOwner.set(file, key)
  const agentFolders = new Map<string, string>()

  const place = (ref: SessionRef): string => {
    const key = sessionKey(ref)
    const known = files.get(key)
    if (known) return known
    planning.add(key)
    const parent = ref.parentId ? byKey.get(sessionKey({agent: ref.agent, id: ref.parentId})) : undefined
    // A cycle in parent links must not recurse forever: such a session is placed at the top.
    const folder = parent && !planning.has(sessionKey(parent)) ? withoutExtension(place(parent)) : keptIn(agentFolders, ref.agent, () => safeSegment(ref.agent))
    const file = choose(ref, folder, key)
    planning.delete(key)
    files.set(key, file)
    taken.add(file)
    return file
  }

  const choose = (ref: SessionRef, folder: string, key: string): string => {
    const extension = `.${options.extension}`
    const previous = options.previous.get(key)
    if (previous && previous.endsWith(extension) && isInside(previous) && !taken.has(previous)) return previous
    const suffix = `-${shortId(ref.id)}${extension}`
    const names = options.existingNames(folder)
    const found = [...names].find((name) => name.endsWith(suffix) && !taken.has(`${folder}/${name}`) && options.isExportOf(`${folder}/${name}`, ref.id))
    if (found && !claimedByOther(`${folder}/${found}`, key)) return `${folder}/${found}`
    const stem = [datePart(ref), slugify(ref.title ?? '')].filter(Boolean).join('-')
    // A user's file of that name is never written over, nor another session's export.
    const usersFile = (file: string) => names.has(path.posix.basename(file)) && !options.isExportOf(file, ref.id)
    const tails = idTails(ref.id)
    let file: string
    do file = `${folder}/${segmentEndingWith(stem, tails.next().value)}${extension}`
    while (taken.has(file) || claimedByOther(file, key) || usersFile(file))
    return file
  }

  const claimedByOther = (file: string, key: string): boolean => (previousOwner.get(file) ?? key) !== key

  return refs.map((ref) => ({file: place(ref), ref}))
}

/**
 * What ends a session's file name: its short id; when two ids share it (or sanitize alike), the
 * full id, then a hash of it, then that numbered, until a name is free.
 */
function* idTails(id: string): Generator<string, never> {
  yield shortId(id)
  yield id
  const hashed = `${shortId(id)}-${createHash('sha256').update(id).digest('hex').slice(0, 12)}`
  yield hashed
  for (let number = 2; ; number++) yield `${hashed}-${number}`
}

function datePart(ref: SessionRef): string {
  const time = ref.createdAt ?? ref.updatedAt
  const date = time ? new Date(time) : undefined
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 10) : 'undated'
}

function withoutExtension(file: string): string {
  return file.slice(0, file.length - path.posix.extname(file).length)
}

/** A `..` segment: tested on every session's recorded file, so without splitting it. */
const PARENT_SEGMENT = /(?:^|\/)\.\.(?:\/|$)/

function isInside(relative: string): boolean {
  return !path.posix.isAbsolute(relative) && !PARENT_SEGMENT.test(relative)
}
