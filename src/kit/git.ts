import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {GitBranch} from '../model/session.js'
import type {ReaderContext} from '../plugin-api.js'
import {statOrNull} from '../stat-or-null.js'
import {oncePerRun} from './once-per-run.js'

/**
 * The branch of a session whose agent records none (OpenCode, Pi): the one its folder is on
 * now, marked as read at export. Read once per run for each folder, as every session of a
 * project asks it, at discovery and again when it is read.
 */
export async function branchAtExport(directory: string | null, ctx: ReaderContext): Promise<GitBranch> {
  const branch = directory ? await oncePerRun(ctx, `branch at export of ${directory}`, () => currentGitBranch(directory)) : null
  return {first: branch, last: branch, readAtExport: true, seen: branch ? [branch] : []}
}

/**
 * The branch a work tree is on now, read from `.git/HEAD` without running git (fast, and
 * works where git is not installed). Null outside a repository; `HEAD` when detached.
 * The files are read synchronously: a few stats and one small read cost less than their round
 * trips through the thread pool.
 */
export async function currentGitBranch(directory: string): Promise<string | null> {
  const gitDir = findGitDir(path.resolve(directory))
  const head = gitDir && readOrNull(path.join(gitDir, 'HEAD'))
  if (head === null) return null
  const match = /^ref:\s*refs\/heads\/(.+)$/.exec(head.trim())
  return match ? match[1] : 'HEAD'
}

function findGitDir(start: string): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git')
    const info = statOrNull(candidate)
    if (info?.isDirectory()) return candidate
    // Worktrees and submodules have a `.git` file pointing at the real git directory.
    if (info?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readOrNull(candidate) ?? '')
      return pointer ? path.resolve(dir, pointer[1].trim()) : null
    }

    if (path.dirname(dir) === dir) return null
  }
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}
