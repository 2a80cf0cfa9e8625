import {createHash} from 'node:crypto'
import {existsSync, realpathSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import path from 'node:path'
import {describeHolder, holderOf, thisProcess} from './lock.js'
import {OutputFolder} from './output-folder.js'
import {HOST_TAG, isRunning, RUN_TAG} from './runs.js'

export interface WatchClaim {
  /** Another watch of this machine that keeps the folder current already; null when none does. */
  alreadyWatching: string | null
  /** Lets go of the folder, if this watch holds it. */
  release(): Promise<void>
}

const NO_CLAIM: WatchClaim = {alreadyWatching: null, async release() {}}

/**
 * Claims an output folder for this watch, in sessionsync's cache folder (a claim names a process
 * of this machine: it has no place in an output folder shared through git). A second watch into
 * the folder would export every change again, twice the work for the same files, and is told who
 * watches already. A claim left by a watch that was killed is taken over. None is made without a
 * cache folder, nor for an output folder that does not exist (nothing exported yet).
 */
export async function claimWatch(cacheDir: string | null, output: string): Promise<WatchClaim> {
  if (cacheDir === null || !existsSync(output)) return NO_CLAIM
  const cache = new OutputFolder(cacheDir)
  const name = path.join('watches', `${createHash('sha256').update(realpathSync(output)).digest('hex').slice(0, 16)}.json`)
  const file = cache.resolve(name)
  const holder = await holderOf(file)
  const thisRun = (claimant: {pid: number; run: string}) => claimant.pid === process.pid && claimant.run === RUN_TAG
  if (holder !== null && holder.host === HOST_TAG && !thisRun(holder) && isRunning(holder.pid, holder.run)) return {...NO_CLAIM, alreadyWatching: describeHolder(holder)}
  await cache.write(name, JSON.stringify(thisProcess()))
  return {
    alreadyWatching: null,
    async release() {
      const current = await holderOf(file)
      if (current !== null && thisRun(current)) await rm(file, {force: true})
    },
  }
}
