import path from 'node:path'
import type {ReaderContext} from 'sessionsync'
import {entriesOf} from './folders.js'

/** Claude Code cuts a project folder's name at this length and adds a hash: such a name says too little. */
const CUT_NAME_LENGTH = 200

/**
 * What `watch` looks at: with one workspace, only the project folders that can hold its sessions,
 * so an agent busy in another project does not wake the watch. A project folder is named after the
 * folder a session was started in, with every character but ASCII letters and digits replaced; a
 * session in the workspace or below is therefore in a folder whose letters and digits begin with
 * the workspace's. Only letters and digits are compared, case aside, so the match holds whatever
 * Claude Code does with the other characters. Folders created later are found by the watcher's
 * periodic `locate`.
 */
export function watchPaths(roots: string[], ctx: ReaderContext): string[] {
  const workspace = ctx.hints.workspace
  if (workspace === null) return roots
  const wanted = lettersAndDigits(workspace)
  return roots.flatMap((root) =>
    entriesOf(root)
      .filter((entry) => entry.isDirectory() && (entry.name.length >= CUT_NAME_LENGTH || lettersAndDigits(entry.name).startsWith(wanted)))
      .map((entry) => path.join(root, entry.name)),
  )
}

function lettersAndDigits(text: string): string {
  return text.replaceAll(/[^A-Za-z0-9]/g, '').toLowerCase()
}
