import {execFile} from 'node:child_process'
import path from 'node:path'

/** Longer than git needs on any disk; a git that hangs (a network file system) must not hold the run. */
const GIT_TIMEOUT_MS = 5000

/**
 * Whether git would commit what is in `folder`: it lies in a git work tree and no .gitignore
 * (or exclude file) leaves it out. Exports hold everything the agents saw and ran, so committing
 * them should be a choice. False also when git is not installed or cannot tell.
 */
export async function trackableByGit(folder: string): Promise<boolean> {
  // `check-ignore` exits with 0 for an ignored path, 1 for one git would track, 128 outside a repository.
  const exitCode = await new Promise<number | null>((resolve) => {
    execFile('git', ['check-ignore', '--quiet', path.basename(folder) + '/'], {cwd: path.dirname(folder), timeout: GIT_TIMEOUT_MS}, (error) => {
      resolve(error ? (typeof error.code === 'number' ? error.code : null) : 0)
    })
  })
  return exitCode === 1
}
