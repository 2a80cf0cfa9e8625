import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import {CUT_NAME_LENGTH} from './project-folder.js'

/**
 * What `watch` looks at: with one workspace, only the project folders that can hold its sessions,
 * so an agent busy in another project does not wake the watch. Claude Code names a project folder
 * after the folder a session was started in, every character but ASCII letters and digits
 * replaced. Folders created later are found by the watcher's periodic `locate`.
 */
export function watchPaths(roots: string[], ctx: ReaderContext): string[] {
  const workspace = ctx.hints.workspace
  if (workspace === null) return roots
  const named = namedProjectFolder(ctx.env)
  return roots.flatMap((root) => [...ctx.kit.projectFoldersFor(root, workspace, {cutNameLength: CUT_NAME_LENGTH}), ...(named ? [path.join(root, named)] : [])])
}

/**
 * `$CLAUDE_CODE_PROJECT_DIR_NAME` (2.1.234): a host that gives each session its own config
 * folder names the project folder itself, whatever the session's folder. Claude Code honours
 * it only beside `$CLAUDE_CONFIG_DIR`, and only as a plain name.
 */
function namedProjectFolder(env: NodeJS.ProcessEnv): string | null {
  const name = env.CLAUDE_CODE_PROJECT_DIR_NAME
  return env.CLAUDE_CONFIG_DIR && name && /^[\w-]{1,64}$/.test(name) ? name : null
}
