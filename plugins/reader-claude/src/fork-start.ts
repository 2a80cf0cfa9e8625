import type {Stats} from 'node:fs'
import type {ReaderContext} from 'sessionsync'
import {z} from 'zod'
import type {Peek} from './peek.js'
import {stringField} from './records.js'
import {skimmedRecord} from './skim.js'
import {isBookkeepingLine} from './transcript.js'

/** The records a message of the export comes from, of which a fork's first own one is dated. */
const MESSAGE_TYPES = new Set(['user', 'assistant', 'system'])

const OwnStartSchema = z.object({createdAt: z.string().nullable()})

type OwnStart = z.infer<typeof OwnStartSchema>

/**
 * When a main session began, as its export dates it: a fork by its first message of its own, not
 * by its copies of its original's, which keep their times. Only a file the peek saw begun after
 * its first records (`forkedAt`) is read further, from its start to its first message dated from
 * then on: for a fork, all of its copies. The copies never change, so what is found holds while
 * the file is the same one, however much it grows.
 */
export async function sessionStart(file: string, info: Stats, sessionId: string, seen: Peek, ctx: ReaderContext): Promise<string | null> {
  const {forkedAt} = seen
  if (forkedAt === null) return seen.startedAt
  const parse = (value: unknown) => OwnStartSchema.safeParse(value).data
  const own = await ctx.kit.remembered(ctx.memo, `${file}#ownStart`, `${info.ino}:${forkedAt}`, parse, () => findOwnStart(file, sessionId, forkedAt, ctx))
  // Nothing of its own yet: dated after its last copy, as its export is.
  if (own === null) return seen.endedAt
  return own.createdAt ?? seen.startedAt
}

/**
 * The time of the first message dated from `forkedAt` on, when a message before it was copied from
 * another session (it names that session's request: `requestSessionId`, as the export tells
 * copies); a null time when none was. Null while the copies are all the file holds: not kept, as
 * a message of its own may follow.
 */
async function findOwnStart(file: string, sessionId: string, forkedAt: string, ctx: ReaderContext): Promise<OwnStart | null> {
  let copied = false
  for await (const {value} of ctx.kit.readJsonLines(file, {passOver: isBookkeepingLine, skim: skimmedRecord})) {
    const time = stringField(value, 'timestamp')
    if (time === null || !MESSAGE_TYPES.has(stringField(value, 'type') ?? '')) continue
    if (time >= forkedAt) return {createdAt: copied ? time : null}
    const requestSession = stringField(value, 'requestSessionId')
    copied ||= requestSession !== null && requestSession !== sessionId
  }

  return copied ? null : {createdAt: null}
}
