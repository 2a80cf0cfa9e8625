import {readFile, rm, stat, writeFile} from 'node:fs/promises'
import {HOST_TAG, isRunning, RUN_TAG} from './runs.js'

/**
 * A lock held this long was left by a run whose end cannot be seen (one of another machine, or of
 * an older sessionsync, which did not say who held it), or by one that hangs.
 */
const STALE_MS = 30_000
const WAIT_MS = 15
/** A merge takes milliseconds: a wait this long is told, with who is waited for. */
const TOLD_AFTER_MS = 1000

/** Who holds the lock, as written in it. */
export interface Holder {
  pid: number
  host: string
  run: string
}

/**
 * Runs `task` while holding a lock shared by every sessionsync process (a file that names its
 * holder: creating one that must not exist is atomic everywhere). Held for the few milliseconds a
 * state merge takes, never for a whole export. A lock whose holder ran on this machine and is
 * gone is taken over at once; `tell` hears of a longer wait for a holder that may be running.
 * `lockPath` is in a folder that exists, checked by the caller to be where it should write.
 */
export async function withLock<T>(lockPath: string, task: () => Promise<T>, tell: (message: string) => void): Promise<T> {
  const waitingSince = Date.now()
  let told = false
  for (;;) {
    try {
      await writeFile(lockPath, JSON.stringify(thisProcess()), {flag: 'wx'})
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = await holderOf(lockPath)
      const age = await stat(lockPath).then((info) => Date.now() - info.mtimeMs, () => 0)
      const left = holder !== null && holder.host === HOST_TAG && !isRunning(holder.pid, holder.run)
      // Recursive: an older sessionsync's lock is a folder.
      if (left || age > STALE_MS) await rm(lockPath, {force: true, recursive: true})
      else {
        if (!told && Date.now() - waitingSince >= TOLD_AFTER_MS) {
          told = true
          tell(`Waiting for ${describeHolder(holder)} to finish recording its exports (it holds ${lockPath}; taken over after ${STALE_MS / 1000} s).`)
        }

        await new Promise((resolve) => setTimeout(resolve, WAIT_MS))
      }
    }
  }

  try {
    return await task()
  } finally {
    await rm(lockPath, {force: true, recursive: true})
  }
}

/** This process, as a file it holds names it. */
export function thisProcess(): Holder {
  return {host: HOST_TAG, pid: process.pid, run: RUN_TAG}
}

/**
 * The holder the lock names, with whatever else its file says (a writing mark's sessions); null
 * when it names none (being written, or an older sessionsync's).
 */
export async function holderOf(lockPath: string): Promise<(Holder & Record<string, unknown>) | null> {
  try {
    const holder = JSON.parse(await readFile(lockPath, 'utf8')) as Partial<Holder>
    return typeof holder.pid === 'number' && typeof holder.host === 'string' && typeof holder.run === 'string' ? (holder as Holder & Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function describeHolder(holder: Holder | null): string {
  if (holder === null) return 'another sessionsync run'
  return holder.host === HOST_TAG ? `sessionsync process ${holder.pid}` : `sessionsync process ${holder.pid} of another machine`
}
