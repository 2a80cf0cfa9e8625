import {mkdir, rm, stat} from 'node:fs/promises'
import path from 'node:path'

/** A lock older than this was left by a process that died while holding it. */
const STALE_MS = 30_000
const WAIT_MS = 15

/**
 * Runs `task` while holding a lock shared by every sessionsync process (a folder: creating one
 * is atomic everywhere). Held for the few milliseconds a state merge takes, never for a whole export.
 */
export async function withLock<T>(lockPath: string, task: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(lockPath), {recursive: true})
  for (;;) {
    try {
      await mkdir(lockPath)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const info = await stat(lockPath).catch(() => null)
      if (info && Date.now() - info.mtimeMs > STALE_MS) await rm(lockPath, {force: true, recursive: true})
      else await new Promise((resolve) => setTimeout(resolve, WAIT_MS))
    }
  }

  try {
    return await task()
  } finally {
    await rm(lockPath, {force: true, recursive: true})
  }
}
