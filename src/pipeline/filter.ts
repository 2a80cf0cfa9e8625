import path from 'node:path'
import type {SessionRef} from '../model/ref.js'
import {sessionKey} from './layout.js'

export interface FilterOptions {
  /** Absolute folder: keep sessions whose working directory is it or inside it. */
  workspaces: string[] | null
  branch: string | null
  subagents: boolean
}

/**
 * Keeps the sessions the user asked for. Subagents follow their parent: they are kept
 * exactly when the parent is, whatever folder or branch they recorded themselves.
 */
export function filterRefs(refs: readonly SessionRef[], options: FilterOptions): SessionRef[] {
  const byKey = new Map(refs.map((ref) => [sessionKey(ref), ref]))
  const ownMatch = (ref: SessionRef): boolean =>
    (options.workspaces === null || (ref.workspace !== null && options.workspaces.some((folder) => isWithin(ref.workspace!, folder)))) &&
    (options.branch === null || ref.gitBranches.includes(options.branch))

  const keep = (ref: SessionRef, seen: Set<string>): boolean => {
    if (ref.parentId === null) return ownMatch(ref)
    if (!options.subagents) return false
    const parent = byKey.get(sessionKey({agent: ref.agent, id: ref.parentId}))
    const key = sessionKey(ref)
    if (!parent || seen.has(key)) return ownMatch(ref)
    return keep(parent, seen.add(key))
  }

  return refs.filter((ref) => keep(ref, new Set()))
}

export function isWithin(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, path.resolve(candidate))
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}
