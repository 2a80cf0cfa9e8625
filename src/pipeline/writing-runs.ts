import {rm, rmdir} from 'node:fs/promises'
import path from 'node:path'
import {holderOf, thisProcess} from './lock.js'
import type {OutputFolder} from './output-folder.js'
import {HOST_TAG, isRunning, RUN_TAG} from './runs.js'

/**
 * Where each run that writes exports into the folder names itself until it has recorded them: an
 * export it wrote and has not yet recorded is in no state, and another run that finds it there
 * then (another agent's hook at the same moment) is not to take it for one that was lost.
 */
export const WRITING_FOLDER = '.sessionsync/writing'

const markOfThisRun = path.posix.join(WRITING_FOLDER, `${process.pid}-${HOST_TAG}-${RUN_TAG}.json`)

export interface WritingMark {
  release(): Promise<void>
}

/** Names this run as writing into the folder, until `release`. */
export async function markWriting(output: OutputFolder): Promise<WritingMark> {
  await output.write(markOfThisRun, JSON.stringify(thisProcess()))
  return {
    async release() {
      await rm(output.resolve(markOfThisRun), {force: true})
      // The folder goes with the last mark, as it was before; another run's mark keeps it.
      await rmdir(output.resolve(WRITING_FOLDER)).catch(() => {})
    },
  }
}

/**
 * Whether another run of this machine is writing into the folder now. Only this machine's runs
 * count: whether one of another is still going cannot be told, and a mark that git brought from a
 * teammate's folder names one of theirs. Marks of runs that are gone (killed) are removed.
 */
export async function othersWriting(output: OutputFolder): Promise<boolean> {
  let found = false
  for (const name of await output.names(WRITING_FOLDER)) {
    const file = output.resolve(path.posix.join(WRITING_FOLDER, name))
    const holder = await holderOf(file)
    if (holder === null || holder.host !== HOST_TAG || (holder.pid === process.pid && holder.run === RUN_TAG)) continue
    if (isRunning(holder.pid, holder.run)) found = true
    else await rm(file, {force: true})
  }

  return found
}
