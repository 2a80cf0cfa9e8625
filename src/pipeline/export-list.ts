import {readAhead} from '../kit/read-ahead.js'
import type {SessionRef} from '../model/ref.js'
import type {Session} from '../model/session.js'
import type {Reader, ReaderContext, Writer} from '../plugin-api.js'
import {exportSession, type Exported, readChecked} from './export-session.js'
import {noRoomLeft, type OutputFolder} from './output-folder.js'
import type {PlannedSession} from './plan.js'
import type {ContentOptions} from './transform.js'
import {WriteQueue} from './write-queue.js'
import type {SessionUnderway, WritingMark} from './writing-runs.js'

type Read = Awaited<ReturnType<typeof readChecked>>

/** `noRoom`: the write failed because the output's disk is full, as every later write would. */
export type ExportOutcome = Exported | {error: string; noRoom?: string}

export interface ListContext {
  reader: Reader
  ctx: ReaderContext
  /** Session ids to their export files, for links to subagent sessions. */
  links: ReadonlyMap<string, string>
  options: ContentOptions & {writer: Writer}
  output: OutputFolder
  debug: (message: string) => void
  /** Once aborted, no further session is started; those being written are finished. */
  signal?: AbortSignal
  /** The run's mark in the output folder, where each large session is named while it is exported. */
  mark?: Pick<WritingMark, 'exported' | 'exporting'>
  /** Called before a large session is read, once every export before it is written and done. */
  beforeLargeRead?: () => Promise<void>
}

/** Reading overlaps writing, within a few sessions and 8 MB of source files (more bought no speed in `npm run bench`, only memory). */
const READ_AHEAD = {bytes: 8 * 1024 * 1024, count: 4}

/**
 * Sessions named in the run's mark while they are exported (see `SessionUnderway`): those that
 * could take a run's memory. Each is read alone: one at most is exported at a time.
 */
const NAMED_FROM_BYTES = READ_AHEAD.bytes

/**
 * Reads, shapes and writes each session of one reader. The next sessions are read while the
 * current ones are written, within a small byte budget: memory holds a few small sessions or
 * one large one. `done` hears of every session once, in the order they finish.
 */
export async function exportList(sessions: readonly PlannedSession[], context: ListContext, done: (planned: PlannedSession, outcome: ExportOutcome) => void): Promise<void> {
  const writes = new WriteQueue(READ_AHEAD)
  // A session read ahead stops counting against its budget once it is handed over, not once it
  // is written: the writes under way must leave room for the next too, or two large sessions
  // that follow each other are held at once.
  const readWithRoom = async (planned: PlannedSession) => {
    await writes.roomFor(planned.ref.sizeBytes)
    if (context.signal?.aborted) return new Handover<Read>({error: 'stopped'})
    if (planned.ref.sizeBytes >= NAMED_FROM_BYTES) {
      await context.beforeLargeRead?.()
      await context.mark?.exporting(underway(planned.ref))
    }

    return new Handover(await readChecked(context.reader, planned.ref, context.ctx))
  }

  const finish = async (planned: PlannedSession, outcome: ExportOutcome) => {
    done(planned, outcome)
    await context.mark?.exported(planned.ref)
  }

  for await (const [planned, handover] of readAhead(sessions, (planned) => planned.ref.sizeBytes, readWithRoom, READ_AHEAD)) {
    if (context.signal?.aborted) break
    const read = handover.take()
    if ('error' in read) await finish(planned, read)
    else await writes.add(planned.ref.sizeBytes, async () => finish(planned, await writeOne(planned, read.session, context)))
  }

  await writes.drain()
}

function underway({agent, id, sizeBytes: bytes, sourcePath: source}: SessionRef): SessionUnderway {
  return {agent, bytes, id, source}
}

/**
 * A session read, for the one export that takes it. `readAhead` keeps the promise of each read,
 * and the values of its variables, until the next session is read: what it keeps is then this
 * box, emptied, not a session of perhaps hundreds of MB beside the next one.
 */
class Handover<T> {
  constructor(private value: T | undefined) {}

  take(): T {
    const {value} = this
    this.value = undefined
    return value as T
  }
}

async function writeOne(planned: PlannedSession, session: Session, {debug, links, options, output}: ListContext): Promise<ExportOutcome> {
  try {
    return await exportSession(session, planned.file, links, options, output, debug)
  } catch (error) {
    const noRoom = noRoomLeft(error)
    return noRoom ? {error: (error as Error).message, noRoom} : {error: (error as Error).message}
  }
}
