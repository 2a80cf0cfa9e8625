import {readdirSync} from 'node:fs'
import path from 'node:path'

export interface ProjectFolderOptions {
  /** Names this long were cut by the agent (and given a hash): they say too little, and are kept. */
  cutNameLength?: number
}

/**
 * The subfolders of `root` that can hold sessions started in `workspace` or below it, for agents
 * that name a project's folder after its path with characters other than ASCII letters and
 * digits replaced or kept (Claude Code, Pi). Only letters and digits are compared, case aside, so
 * the match holds whatever the agent does with the other characters: a superset, never a miss.
 */
export function projectFoldersFor(root: string, workspace: string, options: ProjectFolderOptions = {}): string[] {
  const wanted = lettersAndDigits(workspace)
  const cut = options.cutNameLength ?? Number.POSITIVE_INFINITY
  let entries
  try {
    entries = readdirSync(root, {withFileTypes: true})
  } catch {
    return []
  }

  return entries.filter((entry) => entry.isDirectory() && (entry.name.length >= cut || lettersAndDigits(entry.name).startsWith(wanted))).map((entry) => path.join(root, entry.name))
}

function lettersAndDigits(text: string): string {
  return text.replaceAll(/[^A-Za-z0-9]/g, '').toLowerCase()
}
