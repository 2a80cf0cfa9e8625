import path from 'node:path'

/**
 * The folder a session belongs to in a run on `workspace`, when the agent keeps sessions in a
 * folder named after the folder they were started in (Claude Code, Pi) and the session's folder
 * is named after another one than it recorded: the project moved, and its folder of sessions was
 * renamed to follow it, as people do so that the agent finds its history again (the agent lists
 * a project's sessions by that name, whatever they recorded). Such a session counts as the
 * workspace's, or as the subfolder's whose name its recorded folder ends with
 * (`/old/app/web` in the folder of `/new/app/web`). Anything else keeps the recorded folder:
 * a lossy folder name alone says too little.
 *
 * `namesSessionFolder(folder)` tells whether the agent would keep the sessions of `folder` in the
 * session's folder.
 */
export function movedWorkspace(recorded: string, workspace: string | null, namesSessionFolder: (folder: string) => boolean): string {
  if (workspace === null || namesSessionFolder(recorded)) return recorded
  // Recorded on any system: a history copied from Windows holds backslashes. Only names, so that
  // every candidate is the workspace or below it.
  const segments = recorded.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
  for (let kept = 0; kept <= segments.length; kept++) {
    const candidate = path.join(workspace, ...segments.slice(segments.length - kept))
    if (namesSessionFolder(candidate)) return candidate
  }

  return recorded
}
