import path from 'node:path'
import type {ReaderContext} from 'sessionsync'

/** Claude Code cuts a project folder's name at this length and adds a hash. */
export const CUT_NAME_LENGTH = 200

/**
 * Whether Claude Code keeps the sessions started in `folder` in the project folder named `name`:
 * every character but ASCII letters and digits replaced by `-`, one for one.
 */
function isProjectFolderOf(name: string, folder: string): boolean {
  const encoded = folder.replaceAll(/[^a-zA-Z0-9]/g, '-')
  // The hash after a cut name differs between Claude Code's builds, so only the part before it is compared.
  return encoded.length <= CUT_NAME_LENGTH ? name === encoded : name.startsWith(`${encoded.slice(0, CUT_NAME_LENGTH)}-`)
}

/**
 * The workspace of a session that recorded `recorded` and that Claude Code keeps in
 * `projectFolder`: the run's, when the folder was renamed after the project moved there.
 */
export function workspaceOf(recorded: string, projectFolder: string, ctx: ReaderContext): string {
  return ctx.kit.movedWorkspace(recorded, ctx.hints.workspace, (folder) => isProjectFolderOf(path.basename(projectFolder), folder))
}
