import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'

/**
 * The branch a work tree is on now, read from `.git/HEAD` without running git (fast, and
 * works where git is not installed). Null outside a repository; `HEAD` when detached.
 */
export async function currentGitBranch(directory: string): Promise<string | null> {
  const gitDir = await findGitDir(path.resolve(directory))
  if (!gitDir) return null
  try {
    const head = (await readFile(path.join(gitDir, 'HEAD'), 'utf8')).trim()
    const match = /^ref:\s*refs\/heads\/(.+)$/.exec(head)
    return match ? match[1] : 'HEAD'
  } catch {
    return null
  }
}

async function findGitDir(start: string): Promise<string | null> {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, '.git')
    const info = await stat(candidate).catch(() => null)
    if (info?.isDirectory()) return candidate
    // Worktrees and submodules have a `.git` file pointing at the real git directory.
    if (info?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(candidate, 'utf8').catch(() => ''))
      return pointer ? path.resolve(dir, pointer[1].trim()) : null
    }
    if (path.dirname(dir) === dir) return null
  }
}
