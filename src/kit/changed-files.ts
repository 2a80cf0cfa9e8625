import path from 'node:path'
import {pathInside} from '../display-path.js'
import type {Block, Message} from '../model/session.js'

/** How an agent's session says a file changed: the reader's knowledge of its agent. */
export interface FileChanges {
  /**
   * Tools that write or edit files, each with the input field that names the file, or several
   * (an agent that renamed it): the first one present.
   */
  tools: Readonly<Record<string, string | readonly string[]>>
  /** Kinds of event whose text lists changed files, one a line (an agent's own record of them). */
  events?: readonly string[]
  /**
   * Tools whose input field holds a patch in the `*** Begin Patch` format (Codex's and OpenCode's
   * `apply_patch`), which names each file it adds, updates, deletes or moves.
   */
  patches?: Readonly<Record<string, string>>
}

/** A file named by a patch of the `*** Begin Patch` format. */
const PATCH_FILE = /^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+)$/gm

/**
 * The files a session changed, in the order of their first change. A call whose result says
 * it failed changed nothing. A relative path is taken from `cwd`, the session's folder, as
 * the agent's tools take it, so that a file named both ways is listed once. When the project
 * has moved since (see `movedWorkspace`), its files are named where they are now, in `workspace`.
 */
export function changedFiles(messages: readonly Message[], changes: FileChanges, cwd: string | null, workspace: string | null = cwd): string[] {
  const failed = new Set<string>()
  for (const message of messages) for (const block of message.blocks) if (block.type === 'tool_result' && block.isError) failed.add(block.callId)
  const files = new Set<string>()
  for (const message of messages) {
    for (const block of message.blocks) {
      for (const file of filesOf(block, changes)) files.add(movedTo(cwd === null || isAbsolute(file) ? file : path.join(cwd, file)))
    }
  }

  return [...files]

  function filesOf(block: Block, {events = [], patches = {}, tools}: FileChanges): string[] {
    if (block.type === 'event') return events.includes(block.kind) ? block.text.split('\n').filter(Boolean) : []
    if (block.type !== 'tool_call' || failed.has(block.id)) return []
    const field = (fields: Readonly<Record<string, string | readonly string[]>>) => {
      const input = block.input as Record<string, unknown> | null
      const names = Object.hasOwn(fields, block.name) ? [fields[block.name]].flat() : []
      return names.map((name) => input?.[name]).find((value) => value !== undefined)
    }

    const patch = field(patches)
    if (typeof patch === 'string') return [...patch.matchAll(PATCH_FILE)].map((match) => match[1].trim())
    const file = field(tools)
    return typeof file === 'string' && file ? [file] : []
  }

  function movedTo(file: string): string {
    if (cwd === null || workspace === null || workspace === cwd) return file
    const inside = pathInside(file, cwd)
    return inside === null ? file : path.join(workspace, inside)
  }
}

/** Absolute on the machine that wrote it, whichever system that was. */
function isAbsolute(file: string): boolean {
  return path.posix.isAbsolute(file) || path.win32.isAbsolute(file)
}
