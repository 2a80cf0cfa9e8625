import {rm, rmdir} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'
import {sessionKey} from './layout.js'
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

/**
 * A large session a run is exporting, named in its mark meanwhile: a run that dies in it (out of
 * memory, which no handler hears) leaves its name behind for the next.
 */
const SessionUnderwaySchema = z.object({agent: z.string(), bytes: z.number(), id: z.string(), source: z.string()})
export type SessionUnderway = z.infer<typeof SessionUnderwaySchema>

/** What a run's mark names besides the run: the sessions it began or took over, and has not exported yet. */
const MarkSchema = z.object({unfinished: z.array(SessionUnderwaySchema)})

export interface WritingMark {
  /** Names the session now exported in the mark. */
  exporting(session: SessionUnderway): Promise<void>
  /** Takes its name back, if it was named, once it is written (or failed). */
  exported(session: Pick<SessionUnderway, 'agent' | 'id'>): Promise<void>
  release(): Promise<void>
}

export interface OtherRuns {
  /** Another run of this machine is writing into the folder now. */
  writing: boolean
  /** Runs of this machine that ended without taking their mark back: they were killed, or ran out of memory. */
  ended: number
  /** The sessions those runs had not finished exporting. */
  endedIn: SessionUnderway[]
}

/**
 * Names this run as writing into the folder, until `release`. `unfinished`: the sessions runs
 * that ended left unexported, named on until this one exports them, so that a run that ends in
 * another does not forget them.
 */
export async function markWriting(output: OutputFolder, unfinished: readonly SessionUnderway[] = []): Promise<WritingMark> {
  const named = new Map(unfinished.map((session) => [sessionKey(session), session]))
  const write = async () => {
    await output.write(markOfThisRun, JSON.stringify(named.size > 0 ? {...thisProcess(), unfinished: [...named.values()]} : thisProcess()))
  }

  // Naming a session is a help for the next run, not a part of the export: a mark that cannot be
  // written (the disk is full) leaves the session unnamed, and the export tells its own failure.
  const rename = () => write().catch(() => {})
  await write()
  return {
    async exporting(session) {
      named.set(sessionKey(session), session)
      await rename()
    },
    async exported(session) {
      if (named.delete(sessionKey(session))) await rename()
    },
    async release() {
      await rm(output.resolve(markOfThisRun), {force: true})
      // The folder goes with the last mark, as it was before; another run's mark keeps it.
      await rmdir(output.resolve(WRITING_FOLDER)).catch(() => {})
    },
  }
}

/**
 * The other runs of this machine that write into the folder: whether one is writing now, and what
 * those that ended left unfinished of the agents this run reads (`agents`). Only this machine's
 * runs count: whether one of another is still going cannot be told, and a mark that git brought
 * from a teammate's folder names one of theirs. Marks of runs that are gone (killed) are removed
 * once the sessions they name are read, but for the sessions of other agents: a run with
 * `--agent pi` leaves those named for a run that reads them.
 */
export async function otherRuns(output: OutputFolder, agents: ReadonlySet<string>): Promise<OtherRuns> {
  const found: OtherRuns = {ended: 0, endedIn: [], writing: false}
  for (const name of await output.names(WRITING_FOLDER)) {
    const markPath = path.posix.join(WRITING_FOLDER, name)
    const file = output.resolve(markPath)
    const holder = await holderOf(file)
    if (holder === null || holder.host !== HOST_TAG || (holder.pid === process.pid && holder.run === RUN_TAG)) continue
    if (isRunning(holder.pid, holder.run)) {
      found.writing = true
      continue
    }

    found.ended++
    const unfinished = MarkSchema.safeParse(holder).data?.unfinished ?? []
    const taken = unfinished.filter((session) => agents.has(session.agent))
    found.endedIn.push(...taken)
    const leftForOthers = unfinished.filter((session) => !agents.has(session.agent))
    // A mark that names only other agents' sessions stays as it is, not written again at each run.
    if (leftForOthers.length === 0) await rm(file, {force: true})
    else if (taken.length > 0) await output.write(markPath, JSON.stringify({...holder, unfinished: leftForOthers}))
  }

  return found
}
