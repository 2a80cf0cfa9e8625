import path from 'node:path'
import type {SessionRef} from '../model/ref.js'
import {keptIn} from './kept.js'
import {sessionKey} from './layout.js'
import {shortId} from './names.js'

export interface FilterOptions {
  /** Absolute folder: keep sessions whose working directory is it or inside it. */
  workspaces: string[] | null
  branch: string | null
  /** Ids of the sessions wanted, or the start of their id or of their short id; null: every session. */
  sessions?: string[] | null
  /** An instant (ISO 8601): keep sessions last active then or later. */
  since?: string | null
  subagents: boolean
}

/**
 * Keeps the sessions the user asked for. Subagents follow their parent: they are kept
 * exactly when the parent is, whatever folder, branch or time they recorded themselves.
 * A session named by id is kept with its own subagents, a subagent named by id alone.
 */
export function filterRefs(refs: readonly SessionRef[], options: FilterOptions): SessionRef[] {
  const byKey = new Map(refs.map((ref) => [sessionKey(ref), ref]))
  const since = options.since ? Date.parse(options.since) : null
  // Asked once per folder: the sessions of a history share a few, and a watch filters thousands at each export.
  const inWorkspaces = new Map<string, boolean>()
  const inAWorkspace = (workspace: string, folders: readonly string[]) => keptIn(inWorkspaces, workspace, () => folders.some((folder) => isWithin(workspace, folder)))
  const ownMatch = (ref: SessionRef): boolean =>
    (options.workspaces === null || (ref.workspace !== null && inAWorkspace(ref.workspace, options.workspaces))) &&
    (options.branch === null || ref.gitBranches.includes(options.branch)) &&
    (since === null || activeSince(ref, since))
  const wanted = options.sessions ?? null
  const named = (ref: SessionRef): boolean => wanted === null || wanted.some((id) => isNamedBy(ref, id))

  // Follows a subagent up to the session that started it; `test` decides at the first ref it accepts.
  const upward = (ref: SessionRef, test: (ref: SessionRef) => boolean, stopAt: (ref: SessionRef) => boolean, seen = new Set<string>()): boolean => {
    if (stopAt(ref)) return test(ref)
    const parent = byKey.get(sessionKey({agent: ref.agent, id: ref.parentId!}))
    const key = sessionKey(ref)
    if (!parent || seen.has(key)) return test(ref)
    return upward(parent, test, stopAt, seen.add(key))
  }

  const isTop = (ref: SessionRef) => ref.parentId === null
  const keep = (ref: SessionRef): boolean =>
    (isTop(ref) || options.subagents) && upward(ref, ownMatch, isTop) && upward(ref, named, (candidate) => isTop(candidate) || named(candidate))

  return refs.filter(keep)
}

/** Undated sessions are kept: nothing says they are older. */
function activeSince(ref: SessionRef, since: number): boolean {
  const last = ref.updatedAt ?? ref.createdAt
  return last === null || !(Date.parse(last) < since)
}

export function isWithin(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, path.resolve(candidate))
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}

/** The ids of `--session` that name none of `refs`. */
export function idsNamingNothing(ids: readonly string[], refs: ReadonlyArray<Pick<SessionRef, 'id'>>): string[] {
  return ids.filter((id) => !refs.some((ref) => isNamedBy(ref, id)))
}

/** Whether `id` names the session: its id, the start of it or of its short id, in any case. */
export function isNamedBy(ref: Pick<SessionRef, 'id'>, id: string): boolean {
  const wanted = id.toLowerCase()
  // The short id is what file names and `list` show: for some agents not the start of the id.
  return ref.id.toLowerCase().startsWith(wanted) || shortId(ref.id).startsWith(wanted)
}
