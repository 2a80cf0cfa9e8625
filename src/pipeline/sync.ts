import {existsSync} from 'node:fs'
import path from 'node:path'
import {countOf} from '../count.js'
import {fromCurrentFolder} from '../display-path.js'
import {adoptExports} from './adopt.js'
import {noteSources} from './archived.js'
import {CHECKPOINT_MS, Checkpoints} from './checkpoints.js'
import {endedInNotice, exportedLast} from './ended-runs.js'
import {type ExportOutcome, exportList} from './export-list.js'
import {foreignIndexFiles, indexInPlace, writeIndex} from './index-file.js'
import {withLock} from './lock.js'
import {expiringSoon} from './expiry.js'
import {trackableByGit} from './git-exposure.js'
import {sessionKey} from './layout.js'
import {noRoomLeft, OutputFolder} from './output-folder.js'
import type {PacedRecords} from './paced-records.js'
import {exportedRedacted, markRedaction} from './redaction-mark.js'
import {HOST_TAG} from './runs.js'
import {type Log, type PlannedSession, planExports, type PlanOptions, redactedBefore, sessionIdsNamingNothing} from './plan.js'
import {ExportState, STATE_FILE, STATE_LOCK} from './state.js'
import {WritingStop} from './writing-stop.js'
import {markWriting, otherRuns, type WritingMark} from './writing-runs.js'

export interface SyncOptions extends PlanOptions {
  output: string
  /** Export even sessions whose export is up to date. */
  force: boolean
  /** Once aborted (Ctrl-C), no further session is started: those being written are finished and recorded. */
  signal?: AbortSignal
  /** How often progress is saved while sessions are exported; `CHECKPOINT_MS` by default. */
  checkpointMs?: number
  /**
   * What the command line said of --redact, when it takes it: null for nothing, and `redact` then
   * follows the output folder's mark, read again at every run. Without it, `redact` is as given.
   */
  redactGiven?: boolean | null
  /** In watch: what its exports recorded is saved at most so often, and carried to its next export meanwhile. */
  records?: PacedRecords
}

export interface AgentReport {
  agent: string
  displayName: string
  installed: boolean
  found: number
  written: number
  upToDate: number
  failed: number
  /** Problems that cost part of a session (a corrupt line) without failing it. */
  warnings: number
  /** Secrets replaced by markers (`--redact`). */
  redacted: number
}

export interface SyncReport {
  agents: AgentReport[]
  /** The files written, relative to the output folder. */
  written: string[]
  /** The export of every session found, written now or before: what a run after this one expects to find. */
  files: string[]
  /** Sessions the agent will soon delete that are still not exported after this run. */
  expiringUnexported: number
  /** Stopped by its signal before every session was exported. */
  interrupted: boolean
  /** Why sessions were left unwritten though no one stopped the run: the output's disk is full. */
  noRoom: string | null
  /** The `--session` ids that named no session: most likely mistyped. */
  unmatchedSessions: string[]
}

/**
 * The whole export: plan (discover → filter → layout → status), then read, shape and write
 * each session that is not up to date, and record what was written.
 */
export async function runSync(given: SyncOptions, log: Log): Promise<SyncReport> {
  const output = new OutputFolder(path.resolve(given.output))
  output.assertWritable()
  // Read at every run, so that a watch follows a `sync --redact` into its folder.
  const marked = exportedRedacted(output.root)
  let options = given.redactGiven === undefined ? given : {...given, redact: given.redactGiven ?? marked}
  const newFolder = !existsSync(output.root)
  // Asked before the state is loaded too: a run that records its exports and ends meanwhile has left no mark.
  const agents = new Set(options.readers.map((reader) => reader.agent))
  const others = await otherRuns(output, agents)
  const state = await ExportState.load(output, options.records?.pending ?? undefined)
  if (state.problem) log.warn(state.problem)
  if (state.note) log.info(state.note)
  // Not at each of watch's exports after its first sync, which ask only about the sessions that changed.
  const adopted = options.rediscovery ? 0 : await adoptExports(state, output)
  if (adopted > 0) {
    const notice = `${countOf(adopted, 'export')} in ${fromCurrentFolder(output.root)} ${adopted === 1 ? 'was' : 'were'} not in its state`
    // Another run's exports that it has not recorded yet: nothing was lost.
    if (others.writing || (await otherRuns(output, agents)).writing) log.debug(`${notice} (another sessionsync run is writing there): indexed`)
    else if (others.ended > 0) log.info(`${notice} (written by a run that ended before it recorded them): indexed`)
    else log.info(`${notice} (a state deleted, or exports brought by git): indexed again`)
  }

  if (options.redactGiven && !marked && !state.empty) {
    log.warn(`${options.output} holds exports made without --redact: they are written again with secrets replaced, but a file named after a title that held a secret keeps its name, and the attachments written before stay. For a folder to share, export into a new one with --redact.`)
  }

  if (options.redactGiven === false && marked && !state.empty) {
    log.warn(`${options.output} was exported with --redact: this run writes the secrets in clear, and the runs after it no longer redact there (--redact to go back). If the folder is shared, its other copies stop redacting once they get this one's.`)
  }

  const foreign = foreignIndexFiles(output)
  if (foreign.length > 0) log.warn(`${foreign.join(' and ')} in ${options.output} ${foreign.length === 1 ? 'is' : 'are'} not sessionsync's: left as ${foreign.length === 1 ? 'it is' : 'they are'}, so that part of the index of the exports is not written`)
  let plans = await planExports(options, state, output, log)
  if (options.redactGiven === null && !options.redact && redactedBefore(plans, state, options)) {
    log.warn(`${options.output} was exported with --redact, but its mark of that is gone (a run with --no-redact removed it, perhaps in another copy of the folder that git brought here): secrets are replaced again, and the mark is put back (--no-redact to stop)`)
    options = {...options, redact: true, redactGiven: true}
    plans = await planExports(options, state, output, log)
  }

  noteSources(state, plans, options, new Date().toISOString())
  const toWrite = (planned: PlannedSession) => options.force || planned.status !== 'up to date'
  // Made once there is a session to write, before any is read: a folder that cannot be made fails
  // the run once. So does a folder of the record that leads out of the output folder.
  let writing: WritingMark | undefined
  if (plans.some((plan) => plan.sessions.some(toWrite))) {
    output.prepare()
    output.placeFor(STATE_FILE)
    writing = await markWriting(output, others.endedIn)
  }

  try {
    if (existsSync(output.root)) await markRedaction(output, options.redactGiven ?? null, marked)
    const report: SyncReport = {agents: [], expiringUnexported: 0, files: [], interrupted: false, noRoom: null, unmatchedSessions: sessionIdsNamingNothing(plans, state, options), written: []}
    const index = {current: false}
    // What the last save wrote, for a watch to pace the next (see `PacedRecords`).
    let savedBytes = 0
    const save = async () => {
      savedBytes = await saveState(state, output, options.writer.format, foreign, log, index)
    }

    const checkpoints = new Checkpoints(save, options.checkpointMs ?? CHECKPOINT_MS)
    const stop = new WritingStop(options.signal)
    // A record that cannot be saved for want of room stops the run as a session would; the next
    // run, with room, writes again what this one wrote.
    const saveProgress = async () => {
      // A watch's export soon after its last save goes on to the next export unsaved (but when stopped).
      const records = options.records
      if (records?.tooSoon && !stop.signal.aborted) {
        await checkpoints.stop()
        records.pending = state.unsaved ? state : null
        return
      }

      try {
        // An export that recorded nothing does not put off the next one's save.
        const recorded = state.unsaved
        await checkpoints.now()
        if (recorded) records?.saved(savedBytes)
      } catch (error) {
        const noRoom = noRoomLeft(error)
        if (!noRoom) throw error
        stop.outOfRoom(noRoom)
      }
    }

    // The sessions a run that ended without finishing was exporting: see `exportedLast`.
    const exportLast: Array<() => Promise<void>> = []
    // After a run that ended (out of memory, perhaps in a large session), what is exported is
    // saved before each large session, where another end is likeliest: the run after loses none.
    const beforeLargeRead = others.ended > 0 ? saveProgress : undefined
    for (const plan of plans) {
      const agent: AgentReport = {agent: plan.reader.agent, displayName: plan.reader.displayName, failed: plan.error ? 1 : 0, found: plan.sessions.length, installed: plan.installed, redacted: 0, upToDate: 0, warnings: 0, written: 0}
      report.agents.push(agent)
      const toExport: PlannedSession[] = []
      for (const planned of plan.sessions) {
        report.files.push(planned.file)
        if (!toWrite(planned)) {
          log.debug(`${planned.file}: up to date, not read again`)
          continue
        }

        toExport.push(planned)
        // Told when it is written, not at every run (nor by list or search).
        const {parentId, sourcePath} = planned.ref
        if (parentId !== null && !plan.discovered.has(sessionKey({agent: plan.reader.agent, id: parentId}))) log.info(`${plan.reader.displayName}: ${sourcePath}: a subagent whose parent session ${parentId} is gone; exported on its own`)
      }

      agent.upToDate = plan.sessions.length - toExport.length
      let done = agent.upToDate
      const exported = (planned: PlannedSession, outcome: ExportOutcome) => {
        if ('error' in outcome && outcome.noRoom) {
          // Told once, at the end: every session after it fails the same way.
          stop.outOfRoom(outcome.noRoom)
          agent.failed++
        } else if ('error' in outcome) {
          log.warn(`${plan.reader.displayName}: session ${planned.ref.id} (${planned.ref.sourcePath}) was not exported: ${outcome.error}`)
          agent.failed++
          if (expiringSoon(planned.ref.expiresAt)) report.expiringUnexported++
        } else {
          state.set(sessionKey(planned.ref), options.writer.format, outcome.facts, {bytes: outcome.bytes, exportedAt: new Date().toISOString(), file: planned.file, fingerprint: planned.ref.fingerprint, host: HOST_TAG, optionsKey: plan.optionsKey, source: planned.ref.sourcePath})
          agent.written++
          agent.redacted += outcome.secrets
          report.written.push(planned.file)
          checkpoints.tick()
        }

        log.progress?.(++done, plan.sessions.length, plan.reader.agent)
      }

      const links = new Map(plan.sessions.map(({file, ref}) => [ref.id, file]))
      // Once stopped, the next agents start no reads at all: a large session could take seconds.
      const exportNow = async (sessions: PlannedSession[]) => {
        if (!stop.signal.aborted && sessions.length > 0) await exportList(sessions, {beforeLargeRead, ctx: plan.ctx, debug: log.debug, links, mark: writing, options, output, reader: plan.reader, signal: stop.signal}, exported)
      }

      const last = exportedLast(toExport, others.endedIn)
      if (last.length > 0) log.warn(`${plan.reader.displayName}: ${endedInNotice(last, options.output)}`)
      await exportNow(toExport.filter((planned) => !last.includes(planned)))
      if (last.length > 0) exportLast.push(() => exportNow(last))
      // No save of its own after each agent: the checkpoints keep a long run's progress, and a
      // save rewrites the whole state and index (0.13–0.17 s each for the bench's 2,000 sessions).
    }

    for (const exportAfterTheOthers of exportLast) {
      await exportAfterTheOthers()
      await saveProgress()
    }

    for (const [index, plan] of plans.entries()) report.agents[index].warnings = plan.warnings.count

    await saveProgress()
    // Told once, when the folder is made: afterwards, leaving it out of git or not was a choice.
    if (newFolder && report.written.length > 0 && (await trackableByGit(output.root))) {
      log.info(`Note: git would commit the exports in ${options.output}, which hold everything the agents saw and ran (file contents, command output). Add ${path.basename(output.root)}/ to .gitignore, unless you mean to share them (--redact replaces secrets).`)
    }

    const written = report.written.length
    if (stop.noRoom) {
      report.noRoom = stop.noRoom
      // A record the last save could not write is still unsaved.
      const kept = written === 0 ? '' : `: ${countOf(written, 'session')} exported before ${written === 1 ? 'is' : 'are'} kept${state.unsaved ? ', but could not be recorded and will be written again' : ' and recorded'}`
      log.warn(`${stop.noRoom}, so no more sessions were written into ${options.output}${kept}. Once there is room, run it again to export the rest.`)
    } else if (options.signal?.aborted) {
      report.interrupted = true
      log.warn(written === 0 ? 'interrupted before any session was written; run it again to export them' : `interrupted: ${countOf(written, 'session')} exported in this run ${written === 1 ? 'is' : 'are'} kept and recorded; run it again to export the rest`)
    }

    return report
  } finally {
    await writing?.release()
  }
}

/** Saves the records a watch's exports carried unsaved (see `PacedRecords`), and writes the index. */
export async function savePendingRecords(records: PacedRecords, options: Pick<SyncOptions, 'output' | 'writer'>, log: Log): Promise<void> {
  if (!records.pending) return
  const output = new OutputFolder(path.resolve(options.output))
  records.saved(await saveState(records.pending, output, options.writer.format, foreignIndexFiles(output), log, {current: false}))
}

/**
 * Merged under a lock so that concurrent runs (a watch and a manual sync) keep each other's records.
 * `index.current`: this run wrote the index, or found it in place, and recorded nothing since.
 * Returns the bytes written.
 */
async function saveState(state: ExportState, output: OutputFolder, format: string, foreign: readonly string[], log: Log, index: {current: boolean}): Promise<number> {
  // A run that exported nothing and finds the index in place, linking to its format, has nothing
  // to save: no lock taken. Nor does one into a folder where nothing was ever exported: it leaves
  // no empty index behind. Looked at once a run, not at each save: it lists every session.
  if (!state.unsaved) {
    if (state.empty || index.current) return 0
    index.current = await indexInPlace(state, output, format, foreign)
    if (index.current) return 0
  }

  // Here something was exported, or the index went missing, was changed by something else (a git
  // merge) or links to another format: it is written again.
  const bytes = await withLock(output.placeFor(STATE_LOCK), async () => (await state.save(output)) + (await writeIndex(state, output, format, foreign)), log.info)
  index.current = true
  return bytes
}
