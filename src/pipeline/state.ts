import {z} from 'zod'
import {SessionCountsSchema} from '../model/counts.js'
import type {SessionRef} from '../model/ref.js'
import {UsageSchema} from '../model/session.js'
import {conflictSides} from './conflict-sides.js'
import {foreignIndexFiles} from './index-file.js'
import {INDEX_MARKDOWN} from './index-markdown.js'
import {jsonObjectLinePieces, keptJson} from './json-pieces.js'
import type {OutputFolder} from './output-folder.js'
import {ParsedFiles} from './parsed-files.js'
import {HOST_TAG} from './runs.js'
import {mergeSession, mergeStates} from './state-merge.js'

export const STATE_FILE = '.sessionsync/state.json'
export const STATE_LOCK = '.sessionsync/state.lock'

const ExportRecordSchema = z.object({
  /** Export path relative to the output folder. */
  file: z.string(),
  /** The source fingerprint the export was made from. */
  fingerprint: z.string(),
  /** Hash of everything else that shapes the file: format, exclusions, sessionsync version. */
  optionsKey: z.string(),
  exportedAt: z.string(),
  /** Size of the export file. Absent from state files before sessionsync 0.5.0. */
  bytes: z.number().nullable().default(null),
  /**
   * The file or database the export was read from, which it names. Absent from older state files:
   * their exports are taken as read from where the session is now.
   */
  source: z.string().nullable().default(null),
  /**
   * The machine that wrote the export (`HOST_TAG`, a hash of its name): in a folder shared through
   * git, a session another machine exported is not this machine's agent's to have. Absent before
   * sessionsync 0.11.0: taken for this machine's. `UNKNOWN_HOST` for an export found in the
   * folder that no state named and whose source lies on no agent folder of this machine.
   */
  host: z.string().nullable().default(null),
})

/** What the index and `list` show of a session, kept from its last export. */
const SessionFactsSchema = SessionCountsSchema.extend({
  agent: z.string(),
  id: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  branch: z.string().nullable(),
  parentId: z.string().nullable(),
  /** The session this one was forked from. Absent from state files of sessionsync 0.2.0 and earlier. */
  forkedFrom: z.string().nullable().default(null),
  /** How many of a fork's first messages are copies (null: not known). Absent before sessionsync 0.4.0. */
  copiedMessages: z.number().nullable().default(null),
  /** The session's workspace and the files it changed, for the index. Absent before sessionsync 0.5.0. */
  workspace: z.string().nullable().default(null),
  filesChanged: z.array(z.string()).default([]),
  /** The first thing the user asked, shortened: the index's summary when the agent recorded none. */
  firstPrompt: z.string().nullable(),
  /** The models that answered, and the tokens and cost the agent recorded: a history's usage from the index alone. Absent before sessionsync 0.12.0. */
  models: z.array(z.string()).optional(),
  usage: UsageSchema.nullable().optional(),
})

const SessionStateSchema = z.object({
  facts: SessionFactsSchema,
  /** format → its export. */
  exports: z.record(z.string(), ExportRecordSchema),
  /**
   * When a sync first found that the agent no longer has the session: its exports are all that
   * is left. Null while the agent has it (and in state files before sessionsync 0.8.0).
   */
  sourceGoneAt: z.string().nullable().default(null),
})

const StateSchema = z.object({
  version: z.literal(2),
  /** session key (`agent/id`) → what was exported of it. */
  sessions: z.record(z.string(), SessionStateSchema),
})

export type ExportRecord = z.infer<typeof ExportRecordSchema>
export type SessionFacts = z.infer<typeof SessionFactsSchema>
export type SessionState = z.infer<typeof SessionStateSchema>
export type StateData = z.infer<typeof StateSchema>

/** Whether this machine exported the session (or an older sessionsync, which did not say which machine did). */
export function exportedHere(session: SessionState): boolean {
  return Object.values(session.exports).some((record) => record.host === null || record.host === HOST_TAG)
}

/**
 * Whether an export is of the session as discovery found it, made with the same options. A file
 * that moved (a project folder renamed, a history copied to another home) keeps its size and
 * time, so its fingerprint; its export names where it was, so it is not current.
 */
export function isCurrentExport(record: ExportRecord, ref: Pick<SessionRef, 'fingerprint' | 'sourcePath'>, optionsKey: string): boolean {
  return record.fingerprint === ref.fingerprint && (record.source ?? ref.sourcePath) === ref.sourcePath && record.optionsKey === optionsKey
}

/**
 * What was exported where, from which version of the source: lets a re-run skip unchanged
 * sessions without reading them, and keeps every session at the file name it got first.
 */
export class ExportState {
  private readonly changes = new Map<string, SessionState>()

  private constructor(
    private readonly data: StateData,
    readonly problem: string | null,
    /** Whether the file holds git's conflict markers, both sides merged here: written back at the next save, even with nothing new. */
    private conflicted = false,
  ) {}

  /** What a run is told of the file: that git left it conflicted, and what was made of it. */
  get note(): string | null {
    return this.conflicted ? `the state file ${STATE_FILE} had merge conflicts: the sessions of both sides are kept, and the state and the index are written again from them` : null
  }

  /**
   * The state as its file holds it now. `carried`: a state of the same folder whose records are
   * not saved yet (a watch's, from one export to the next), which this one holds too.
   */
  static async load(output: OutputFolder, carried?: ExportState): Promise<ExportState> {
    const state = await ExportState.read(output)
    for (const [key, session] of carried?.changes ?? []) state.changes.set(key, session)
    return state
  }

  private static async read(output: OutputFolder): Promise<ExportState> {
    const file = output.resolve(STATE_FILE)
    const stamp = await parsedStates.stamp(file)
    const kept = parsedStates.get(file, stamp)
    if (kept) return new ExportState(kept, null)
    const text = await output.read(STATE_FILE)
    if (text === undefined) {
      // An index without a state file: an earlier export is there, and will be written again whole.
      const exportedBefore = (await output.exists(INDEX_MARKDOWN)) && !foreignIndexFiles(output).includes(INDEX_MARKDOWN)
      return new ExportState(emptyState(), exportedBefore ? `the state file ${STATE_FILE} is missing, though ${INDEX_MARKDOWN} shows an earlier export here; exporting everything again` : null)
    }

    const read = readState(text)
    if (!read) return new ExportState(emptyState(), `the state file ${STATE_FILE} is missing parts or corrupt; exporting everything again`)
    // Kept only as sessionsync writes it: a conflicted file is read again until a save replaces it.
    if (!read.conflicted) parsedStates.set(file, stamp, read.data)
    return new ExportState(read.data, null, read.conflicted)
  }

  session(sessionKey: string): SessionState | undefined {
    return this.changes.get(sessionKey) ?? this.data.sessions[sessionKey]
  }

  get(sessionKey: string, format: string): ExportRecord | undefined {
    return this.session(sessionKey)?.exports[format]
  }

  /**
   * Every session ever exported into this folder, this run's changes included, by key. Walked, not
   * copied into a new map: watch asks for them several times at each export, thousands of them.
   */
  *all(): Generator<[string, SessionState]> {
    const {sessions} = this.data
    for (const key in sessions) yield [key, this.changes.get(key) ?? sessions[key]]
    for (const [key, session] of this.changes) if (!Object.hasOwn(sessions, key)) yield [key, session]
  }

  /** The sessions of `all`, without their keys. */
  *sessions(): Generator<SessionState> {
    for (const [, session] of this.all()) yield session
  }

  /** Export paths by session key for one format. */
  files(format: string): Map<string, string> {
    const files = new Map<string, string>()
    for (const [key, session] of this.all()) if (session.exports[format]) files.set(key, session.exports[format].file)
    return files
  }

  /** Whether no session was ever exported here, in this run or before. */
  get empty(): boolean {
    return this.changes.size === 0 && Object.keys(this.data.sessions).length === 0
  }

  /** Whether this run recorded anything not saved yet. */
  get unsaved(): boolean {
    return this.changes.size > 0 || this.conflicted
  }

  set(sessionKey: string, format: string, facts: SessionFacts, record: ExportRecord): void {
    this.record(sessionKey, format, record, facts, null)
  }

  /**
   * Records an export found in the folder that the state did not name (see `adoptExports`): a
   * session the state knows keeps its facts and what was found of its source.
   */
  adopt(sessionKey: string, format: string, facts: SessionFacts, record: ExportRecord): void {
    const known = this.session(sessionKey)
    this.record(sessionKey, format, record, known?.facts ?? facts, known?.sourceGoneAt ?? null)
  }

  private record(sessionKey: string, format: string, record: ExportRecord, facts: SessionFacts, sourceGoneAt: string | null): void {
    const previous = this.session(sessionKey)
    // Members in the schema's order, as in a state read back: every run writes a session's line
    // the same, so that git sees only what changed.
    this.changes.set(sessionKey, SessionStateSchema.parse({exports: {...previous?.exports, [format]: record}, facts, sourceGoneAt}))
  }

  /** Records whether the agent still has an exported session; `now` is when it was found gone. */
  noteSource(sessionKey: string, present: boolean, now: string): void {
    const session = this.session(sessionKey)
    if (!session || (session.sourceGoneAt === null) === present) return
    this.changes.set(sessionKey, {...session, sourceGoneAt: present ? null : now})
  }

  /**
   * Writes this run's changes on top of the state as it is on disk now, so a watch and a
   * manual sync on the same folder do not erase each other's records. Called under `STATE_LOCK`.
   * Sessions may go on being recorded while it writes (a checkpoint): those stay unsaved.
   * Returns the bytes written.
   */
  async save(output: OutputFolder): Promise<number> {
    if (!this.unsaved) return 0
    const file = output.resolve(STATE_FILE)
    const current = parsedStates.get(file, await parsedStates.stamp(file)) ?? readState((await output.read(STATE_FILE)) ?? '')?.data ?? emptyState()
    const saving = new Map(this.changes)
    for (const [key, session] of saving) current.sessions[key] = onTopOf(current.sessions[key], this.data.sessions[key], session)

    let bytes: number
    try {
      bytes = await output.write(STATE_FILE, statePieces(current))
    } catch (error) {
      // What is kept may now hold changes the file does not.
      parsedStates.forget(file)
      throw error
    }

    // Stamped under the lock `save` runs in: no other sessionsync can have replaced the file since.
    parsedStates.set(file, await parsedStates.stamp(file), current)
    this.conflicted = false
    for (const [key, session] of saving) {
      this.data.sessions[key] = current.sessions[key]
      if (this.changes.get(key) === session) this.changes.delete(key)
    }

    return bytes
  }
}

/**
 * A session as a run records it, over what the state file holds now. When another run saved an
 * export of it since this run loaded the state (two syncs into one folder at once), each format
 * keeps the later export: that run may have written the file after this one, and the record must
 * name the export the folder holds, or a stale export would pass for current.
 */
function onTopOf(onDisk: SessionState | undefined, loaded: SessionState | undefined, ours: SessionState): SessionState {
  const savedSince = onDisk !== undefined && Object.entries(onDisk.exports).some(([format, record]) => record.exportedAt !== loaded?.exports[format]?.exportedAt)
  return savedSince ? mergeSession(ours, onDisk) : {facts: ours.facts, exports: {...onDisk?.exports, ...ours.exports}, sourceGoneAt: ours.sourceGoneAt}
}

/** State files as this process last read or wrote them: a watch loads one before every export. */
const parsedStates = new ParsedFiles<StateData>()

/**
 * One session a line, by key: when two machines' syncs meet in a git merge, the sessions each
 * added merge line by line. Still the JSON of the same schema, which earlier versions read.
 */
function* statePieces(state: StateData): Generator<string> {
  yield `{"version":${state.version},"sessions":`
  yield* jsonObjectLinePieces(state.sessions, keptJson)
  yield '}\n'
}

function emptyState(): StateData {
  return {sessions: {}, version: 2}
}

/** The state a file holds; one git left with conflict markers holds both sides' states, merged. */
function readState(text: string): {conflicted: boolean; data: StateData} | undefined {
  const sides = conflictSides(text)
  if (!sides) {
    const data = parseState(text)
    return data && {conflicted: false, data}
  }

  const [ours, theirs] = sides.map((side) => parseState(side))
  return ours && theirs ? {conflicted: true, data: mergeStates(ours, theirs)} : undefined
}

function parseState(text: string): StateData | undefined {
  try {
    const result = StateSchema.safeParse(JSON.parse(text))
    return result.success ? result.data : undefined
  } catch {
    return undefined
  }
}
