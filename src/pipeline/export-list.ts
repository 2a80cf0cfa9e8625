import {readAhead} from '../kit/read-ahead.js'
import type {Session} from '../model/session.js'
import type {Reader, ReaderContext, Writer} from '../plugin-api.js'
import {exportSession, type Exported, readChecked} from './export-session.js'
import {noRoomLeft, type OutputFolder} from './output-folder.js'
import type {PlannedSession} from './plan.js'
import type {ContentOptions} from './transform.js'
import {WriteQueue} from './write-queue.js'

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
}

/** Reading overlaps writing, within a few sessions and 8 MB of source files (more bought no speed in `npm run bench`, only memory). */
const READ_AHEAD = {bytes: 8 * 1024 * 1024, count: 4}

/**
 * Reads, shapes and writes each session of one reader. The next sessions are read while the
 * current ones are written, within a small byte budget: memory holds a few small sessions or
 * one large one. `done` hears of every session once, in the order they finish.
 */
export async function exportList(sessions: readonly PlannedSession[], context: ListContext, done: (planned: PlannedSession, outcome: ExportOutcome) => void): Promise<void> {
  const reads = readAhead(sessions, (planned) => planned.ref.sizeBytes, (planned) => readChecked(context.reader, planned.ref, context.ctx), READ_AHEAD)
  const writes = new WriteQueue(READ_AHEAD)
  for await (const [planned, read] of reads) {
    if (context.signal?.aborted) break
    if ('error' in read) done(planned, read)
    else await writes.add(planned.ref.sizeBytes, async () => done(planned, await writeOne(planned, read.session, context)))
  }

  await writes.drain()
}

async function writeOne(planned: PlannedSession, session: Session, {debug, links, options, output}: ListContext): Promise<ExportOutcome> {
  try {
    return await exportSession(session, planned.file, links, options, output, debug)
  } catch (error) {
    const noRoom = noRoomLeft(error)
    return noRoom ? {error: (error as Error).message, noRoom} : {error: (error as Error).message}
  }
}
