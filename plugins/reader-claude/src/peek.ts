import {closeSync, createReadStream, openSync, readSync} from 'node:fs'
import type {ReaderContext} from 'sessionsync'
import {z} from 'zod'
import {BOOKKEEPING_TYPES, ConversationRecordSchema, METADATA_TYPES, MetadataRecordSchema, stringField} from './records.js'
import {ideContext, promptTitle, readUserText} from './user-text.js'

/** Enough of a session file to list and filter it, from its first and last records only. */
export const PeekSchema = z.object({
  sessionId: z.string().nullable(),
  cwd: z.string().nullable(),
  version: z.string().nullable(),
  branches: z.array(z.string()),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  firstPrompt: z.string().nullable(),
  /** The best title the tail holds: custom title, then AI title, then summary. */
  title: z.string().nullable(),
  /** The folder a fork was made for (a `relocated` record), which wins over `cwd`. */
  relocatedCwd: z.string().nullable(),
  /** A user or assistant record was seen. */
  hasConversation: z.boolean(),
  /** The head and the tail together covered the whole file. */
  wholeFile: z.boolean(),
  /**
   * The time of the file's first dated record, when it is later than the conversation it begins
   * with: a fork's file, whose copies keep their original's times, begins with a record of its
   * own (its queued prompt). Null for any other file.
   */
  forkedAt: z.string().nullable(),
})

export type Peek = z.infer<typeof PeekSchema>

/** Claude Code re-appends titles at the end of a file so a 64 KB tail read finds them; so does this. */
const WINDOW = 64 * 1024
/** How far back a tail without a turn is widened before the head's last turn stands. */
const MAX_TAIL_WINDOW = 4 * 1024 * 1024
/** The first records (cwd, branch, first prompt) are small; a first prompt too big for this is streamed. */
const HEAD_WINDOW = 16 * 1024
/** When the first records are bigger than the head window (a pasted image), read on this far for them. */
const MAX_HEAD_LINES = 200

export async function peek(file: string, size: number, ctx: ReaderContext): Promise<Peek> {
  const result: Peek = {branches: [], cwd: null, endedAt: null, firstPrompt: null, forkedAt: null, hasConversation: false, relocatedCwd: null, sessionId: null, startedAt: null, title: null, version: null, wholeFile: size <= HEAD_WINDOW + WINDOW}
  // Taken apart before anything is awaited: the windows' buffer is every peek's.
  const [head, tail] = readWindows(file, result.wholeFile ? [[0, size]] : [[0, HEAD_WINDOW], [size - WINDOW, WINDOW]])
  const headLines = head.toString('utf8').split('\n')
  // A head window that ends mid-record lost its last line; the tail window its first.
  const headRecords = (result.wholeFile ? headLines : headLines.slice(0, -1)).map(parse)
  const facts: SessionFacts = {}
  for (const value of headRecords) noteFact(facts, value)
  // Of the tail, only the lines of its titles and of its last turn are decoded and parsed: every
  // line of 64 KB of assistant turns and tool results was most of a first run's discovery.
  const tailLines = tail && withoutFirstLine(tail)
  for (const line of tailLines ? linesHolding(tailLines, FACT_MARKS) : []) noteFact(facts, parse(line))
  const last = tailLines && lastTurn(file, size, tailLines)

  const prompt = new FirstPrompt()
  for (const value of headRecords) take(result, prompt, value)
  const seen = () => result.cwd !== null && prompt.found !== null
  if (!seen() && !result.wholeFile) {
    for await (const {value} of ctx.kit.readJsonLines(file, {maxLines: MAX_HEAD_LINES})) {
      take(result, prompt, value)
      if (seen()) break
    }
  }

  const firstDated = headRecords.map((value) => stringField(value, 'timestamp')).find((time) => time !== null)
  if (firstDated && result.startedAt !== null && firstDated > result.startedAt) result.forkedAt = firstDated
  if (tailLines) take(result, prompt, last)
  result.firstPrompt = prompt.result()
  result.title = facts.custom ?? facts.ai ?? facts.summary ?? null
  result.relocatedCwd = facts.relocatedCwd ?? null
  return result
}

/**
 * The records a session's last activity is read from, as its export dates it: the bookkeeping and
 * the attachments Claude Code writes after a turn (a snapshot of the next prompt) are not one.
 */
const TURN_TYPES = new Set(['user', 'assistant', 'system'])

/**
 * The file's last turn with a time, from its tail: a window, widened while it holds none. The
 * attachments Claude Code 2.1.3xx writes after a turn can fill 64 KB, and the head's last turn
 * would date a long session by its first minutes.
 */
function lastTurn(file: string, size: number, lines: Buffer): unknown {
  for (let window = WINDOW; ; ) {
    for (const line of linesFromEnd(lines)) {
      const value = parse(line)
      if (TURN_TYPES.has(stringField(value, 'type') ?? '') && stringField(value, 'timestamp')) return value
    }

    if (window >= Math.min(size, MAX_TAIL_WINDOW)) return null
    window = Math.min(size, MAX_TAIL_WINDOW, window * 4)
    // The window's first line may be cut: dropped, as it is from the first window.
    const [wider] = readWindows(file, [[size - window, window]])
    lines = window < size ? withoutFirstLine(wider) : wider
  }
}

/**
 * The fields of a record a peek reads. The content only while the first prompt is unknown:
 * checking and copying every record's message (assistant turns, tool results) was most of a
 * peek's work, for nothing.
 */
const PeekRecordSchema = ConversationRecordSchema.pick({cwd: true, gitBranch: true, isApiErrorMessage: true, isCompactSummary: true, isMeta: true, sessionId: true, timestamp: true, type: true, uuid: true, version: true})
const PromptRecordSchema = PeekRecordSchema.extend({message: ConversationRecordSchema.shape.message})

/** Notes what a record says of the session; says whether it was one with a time. */
function take(result: Peek, prompt: FirstPrompt, value: unknown): boolean {
  // The type is read before any schema: most lines of a window are of no use here. Unknown
  // types still go through the schema, as a new kind of record may well carry a time or a cwd.
  const type = stringField(value, 'type') ?? ''
  if (type === 'progress' || BOOKKEEPING_TYPES.has(type) || METADATA_TYPES.has(type)) return false
  const parsed = (type === 'user' && prompt.found === null ? PromptRecordSchema : PeekRecordSchema).safeParse(value)
  if (!parsed.success) return false
  // A record without its message (it has one only while the first prompt is sought) fits this type.
  const record: z.infer<typeof PromptRecordSchema> = parsed.data
  result.sessionId ??= record.sessionId ?? null
  result.cwd ??= record.cwd ?? null
  result.version ??= record.version ?? null
  if (record.timestamp) result.startedAt ??= record.timestamp
  if (record.timestamp && TURN_TYPES.has(record.type)) result.endedAt = record.timestamp

  if (record.gitBranch && record.gitBranch !== 'HEAD' && !result.branches.includes(record.gitBranch)) result.branches.push(record.gitBranch)
  if (record.type === 'user' || record.type === 'assistant') result.hasConversation = true
  if (record.type === 'assistant' && !record.isApiErrorMessage) prompt.answered()
  if (record.type === 'user' && !record.isMeta && !record.isCompactSummary) {
    const content = record.message?.content
    // The IDE's note of what was open or selected is not what the person asked.
    const text = typeof content === 'string' ? content : content?.find((block) => block.type === 'text' && typeof block.text === 'string' && !ideContext(block.text))?.text
    const said = typeof text === 'string' ? readUserText(text).said : null
    if (said) prompt.said(promptTitle(said))
  }

  return Boolean(record.timestamp)
}

/**
 * The prompt a session is titled by, as the title of the session read whole: the first thing
 * the person said, passing over a slash command the model never answered (`/clear`, with which
 * a session begins after clearing) while a prompt follows it. Kept to a title's 200 characters:
 * the discovery cache keeps it for every session, and a pasted plan can be many kilobytes.
 */
class FirstPrompt {
  found: string | null = null
  private firstCommand: string | null = null
  private unanswered: string | null = null

  said(title: string): void {
    if (this.found !== null) return
    if (title.startsWith('/')) {
      this.firstCommand ??= title
      this.unanswered = title
    } else {
      this.found = title
    }
  }

  /** The model replied: to the command just given, if that is where things stand. */
  answered(): void {
    if (this.found === null && this.unanswered !== null) this.found = this.unanswered
  }

  /** The first command stands when no prompt followed it. */
  result(): string | null {
    return this.found ?? this.firstCommand
  }
}

/** What the session's metadata records say: its titles, and the folder a fork was made for. */
interface SessionFacts {
  custom?: string
  ai?: string
  summary?: string
  relocatedCwd?: string
}

const FACT_TYPES = new Set(['custom-title', 'ai-title', 'summary', 'relocated'])
/** What the raw bytes of such a record hold, whatever the order of its fields. */
const FACT_MARKS = [...FACT_TYPES].map((type) => Buffer.from(`"${type}"`))

function noteFact(facts: SessionFacts, value: unknown): void {
  if (!FACT_TYPES.has(stringField(value, 'type') ?? '')) return
  const parsed = MetadataRecordSchema.safeParse(value)
  if (!parsed.success) return
  const {type, customTitle, aiTitle, summary, relocatedCwd} = parsed.data
  if (type === 'custom-title' && customTitle?.trim()) facts.custom = customTitle.trim()
  if (type === 'ai-title' && aiTitle?.trim()) facts.ai = aiTitle.trim()
  if (type === 'summary' && summary?.trim()) facts.summary = summary.trim()
  if (type === 'relocated' && relocatedCwd) facts.relocatedCwd = relocatedCwd
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return null
  }
}

/**
 * One buffer for the windows of every peek: a new one for each of thousands of files cost a first
 * discovery 4% of its time, in memory the kernel had to map afresh.
 */
const windowBuffer = Buffer.allocUnsafe(HEAD_WINDOW + WINDOW)

/**
 * The bytes of each window `[start, length]` of a file, opened once: in the shared buffer while
 * they fit, so valid until the next peek reads. Synchronous on purpose: two small reads cost less
 * than the round trips of promise-based file handles, paid per file.
 */
function readWindows(file: string, windows: ReadonlyArray<readonly [number, number]>): Buffer[] {
  const descriptor = openSync(file, 'r')
  try {
    let free = 0
    return windows.map(([start, length]) => {
      const shared = free + length <= windowBuffer.length
      const buffer = shared ? windowBuffer.subarray(free, free + length) : Buffer.allocUnsafe(length)
      if (shared) free += length
      return buffer.subarray(0, readSync(descriptor, buffer, 0, length, Math.max(0, start)))
    })
  } finally {
    closeSync(descriptor)
  }
}

const NEWLINE = 0x0a

/** A window's bytes after its first line, which the window may have cut. */
function withoutFirstLine(bytes: Buffer): Buffer {
  const end = bytes.indexOf(NEWLINE)
  return bytes.subarray(end === -1 ? bytes.length : end + 1)
}

/** The lines of `bytes`, the last first, each decoded only when asked for. */
function* linesFromEnd(bytes: Buffer): Generator<string> {
  for (let end = bytes.length; end > 0; ) {
    const start = bytes.lastIndexOf(NEWLINE, end - 1) + 1
    if (start < end) yield bytes.toString('utf8', start, end)
    end = start - 1
  }
}

/** The lines of `bytes` that hold any of `marks`, in their order: only those are decoded. */
function linesHolding(bytes: Buffer, marks: readonly Buffer[]): string[] {
  const found: string[] = []
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(NEWLINE, start)
    const end = newline === -1 ? bytes.length : newline
    const line = bytes.subarray(start, end)
    if (marks.some((mark) => line.includes(mark))) found.push(line.toString('utf8'))
    start = end + 1
  }

  return found
}

/**
 * Whether the file names `branch` anywhere, searched as raw bytes (no JSON parsing), for
 * `--branch` on a session whose head and tail were on other branches.
 */
export async function mentionsBranch(file: string, branch: string): Promise<boolean> {
  const needle = Buffer.from(`"gitBranch":${JSON.stringify(branch)}`)
  let carry = Buffer.alloc(0)
  for await (const chunk of createReadStream(file)) {
    const window = Buffer.concat([carry, chunk as Buffer])
    if (window.includes(needle)) return true
    carry = window.subarray(Math.max(0, window.length - needle.length + 1))
  }

  return false
}
