import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import type {SessionInfo} from './stored.js'

/**
 * The folder a session of a git project that moved now belongs to, or null. OpenCode knows a
 * git project by its first commit and keeps the folder it was last opened in (the project's
 * `worktree`), so once a repository is opened where it moved, its old sessions are listed
 * there, each still naming the folder it ran in. Such a session counts as the project's folder's
 * (or its subfolder's, `path`) when the folder it ran in is gone and the project's is there: a
 * second clone of the same repository, or a linked work tree, keeps its own sessions.
 */
export function movedFolder(info: SessionInfo, ctx: ReaderContext): string | null {
  const {directory, projectFolder} = info
  if (directory === null || projectFolder === null || pathIn(directory, projectFolder) !== null) return null
  const relative = typeof info.extra.path === 'string' ? info.extra.path : ''
  const moved = path.join(projectFolder, ...relative.split('/'))
  if (pathIn(moved, projectFolder) === null) return null
  return ctx.kit.statOrNull(directory) === null && ctx.kit.statOrNull(projectFolder)?.isDirectory() ? moved : null
}

/** `file`'s path inside `folder`, '' for the folder itself; null outside it. */
function pathIn(file: string, folder: string): string | null {
  const relative = path.relative(folder, file)
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? null : relative
}
