import {countOf} from '../count.js'
import {homeShortened} from '../display-path.js'
import {lastActive} from '../last-active.js'
import type {SessionRef} from '../model/ref.js'
import {printable} from '../printable.js'
import {filterRefs, type FilterOptions, isWithin} from './filter.js'

/** Enough to find the right folder among the most recent ones; the rest are counted. */
const FOLDERS_SHOWN = 5

interface FolderSessions {
  folder: string
  sessions: number
  agents: Set<string>
  lastActive: string
}

/**
 * What to tell a user whose run found no session at all, given every session the agents have in
 * any folder. Most often the run was started in the wrong folder: a subfolder of the project, or
 * another project; or the project moved, and its sessions name the folder it left. Null when
 * there is nothing useful to say. `exists` tells whether a folder is there.
 */
export function noSessionHint(everywhere: readonly SessionRef[], options: FilterOptions, exists: (folder: string) => boolean): string | null {
  if (options.workspaces === null) return null
  const workspace = options.workspaces[0]
  const here = filterRefs(everywhere, {...options, branch: null, sessions: null, since: null})
  if (here.length > 0) return `No session of ${workspace} matched ${otherFilters(options)}: it has ${countOf(here.length, 'session')} in all.`
  const folders = foldersWithSessions(everywhere, options.workspaces)
  const workspaceExists = options.workspaces.some(exists)
  const lead = workspaceExists ? `No session found in ${workspace}.` : `No session found: the workspace ${workspace} does not exist (is --workspace right?)`
  // With no session anywhere, the summary's lines (agent not installed, 0 found) say it all.
  if (folders.length === 0) return workspaceExists ? null : lead
  const shown = folders.slice(0, FOLDERS_SHOWN)
  const names = shown.map(({folder}) => printable(homeShortened(folder)))
  const width = Math.max(...names.map((name) => name.length))
  const gone = shown.filter(({folder}) => !exists(folder))
  const lines = shown.map((entry, at) => {
    const contains = options.workspaces!.some((folder) => isWithin(folder, entry.folder)) ? ' (holds this folder)' : gone.includes(entry) ? ' (gone)' : ''
    return `  ${names[at].padEnd(width)}  ${countOf(entry.sessions, 'session')} (${[...entry.agents].sort().join(', ')}), last active ${entry.lastActive.slice(0, 10) || 'unknown'}${contains}`
  })
  const more = folders.length - shown.length
  return [
    `${lead} The agents recorded sessions in ${folders.length === 1 ? 'this folder' : 'these folders'}:`,
    ...lines,
    ...(more > 0 ? [`  and ${countOf(more, 'other folder')}`] : []),
    'Name one with --workspace (-w), or use -w / for every folder.',
    // A project that moved: its old folder is gone, and its sessions still name it.
    ...(workspaceExists && gone.length > 0 ? ['A folder marked gone may be where this project was before it moved: named with -w, its sessions are exported here.'] : []),
  ].join('\n')
}

function otherFilters(options: FilterOptions): string {
  const named = [
    ...(options.branch === null ? [] : [`--branch ${options.branch}`]),
    ...(options.since ? ['--since'] : []),
    ...(options.sessions ? [`--session ${options.sessions.join(' ')}`] : []),
  ]
  return named.join(' and ')
}

/**
 * The folders of top-level sessions, those that hold the workspace first (the project, for a
 * run in one of its subfolders), nearest first; then the most recently active.
 */
function foldersWithSessions(refs: readonly SessionRef[], workspaces: readonly string[]): FolderSessions[] {
  const byFolder = new Map<string, FolderSessions>()
  for (const ref of refs) {
    if (ref.parentId !== null || ref.workspace === null) continue
    const entry = byFolder.get(ref.workspace) ?? {agents: new Set(), folder: ref.workspace, lastActive: '', sessions: 0}
    entry.sessions++
    entry.agents.add(ref.agent)
    const active = lastActive(ref)
    if (active > entry.lastActive) entry.lastActive = active
    byFolder.set(ref.workspace, entry)
  }

  const holdsWorkspace = (entry: FolderSessions) => workspaces.some((folder) => isWithin(folder, entry.folder))
  return [...byFolder.values()].sort((a, b) => Number(holdsWorkspace(b)) - Number(holdsWorkspace(a)) || (holdsWorkspace(a) ? b.folder.length - a.folder.length : 0) || b.lastActive.localeCompare(a.lastActive))
}
