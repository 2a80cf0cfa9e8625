import type {ReaderContext} from 'sessionsync'

/** Claude Code cuts a project folder's name at this length and adds a hash. */
const CUT_NAME_LENGTH = 200

/**
 * What `watch` looks at: with one workspace, only the project folders that can hold its sessions,
 * so an agent busy in another project does not wake the watch. Claude Code names a project folder
 * after the folder a session was started in, every character but ASCII letters and digits
 * replaced. Folders created later are found by the watcher's periodic `locate`.
 */
export function watchPaths(roots: string[], ctx: ReaderContext): string[] {
  const workspace = ctx.hints.workspace
  return workspace === null ? roots : roots.flatMap((root) => ctx.kit.projectFoldersFor(root, workspace, {cutNameLength: CUT_NAME_LENGTH}))
}
