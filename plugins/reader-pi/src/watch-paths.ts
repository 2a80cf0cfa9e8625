import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import {agentDir, ownSessionsFolder} from './locate.js'

/**
 * What `watch` looks at: with one workspace, only the per-project folders of Pi's own sessions
 * folder that can hold its sessions, so Pi busy in another project does not wake the watch. Pi
 * names them after the session's folder with `/`, `\` and `:` replaced (`--home-me-app--`). A
 * folder set by `$PI_CODING_AGENT_SESSION_DIR` or `sessionDir` holds every project's files side
 * by side, so it is watched whole, and so is the own folder when such a setting names it. Folders
 * created later are found by the watcher's periodic `locate`.
 */
export function watchPaths(roots: string[], ctx: ReaderContext): string[] {
  const workspace = ctx.hints.workspace
  const ownFolder = path.resolve(ownSessionsFolder(agentDir(ctx)))
  return roots.flatMap((root) => (workspace !== null && root === ownFolder && !holdsSessionFiles(root) ? ctx.kit.projectFoldersFor(root, workspace) : [root]))
}

function holdsSessionFiles(folder: string): boolean {
  try {
    return readdirSync(folder).some((name) => name.endsWith('.jsonl'))
  } catch {
    return false
  }
}
