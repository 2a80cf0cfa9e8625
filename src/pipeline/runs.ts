import {createHash, randomBytes} from 'node:crypto'
import {hostname} from 'node:os'

/**
 * This run, as the files it leaves in the output folder name it (its temporary files, the state
 * lock): by its process id, and a random tag drawn once, since a container's runs often get the
 * same few process ids.
 */
export const RUN_TAG = randomBytes(4).toString('hex')
/**
 * The machine: a process id says whether a run is still going only on the machine (and in the
 * container) that ran it, which is known by its name.
 */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8)
/** A machine not known: another than this one, which no `HOST_TAG` can be. */
export const UNKNOWN_HOST = 'unknown'

/** Whether the run of this machine with this process id and tag may still be going. */
export function isRunning(pid: number, run: string): boolean {
  // This process's id with another run's tag was an earlier process's.
  if (pid === process.pid) return run === RUN_TAG
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: running, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
