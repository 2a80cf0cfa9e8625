import path from 'node:path'
import type {Session} from '../model/session.js'
import {exportSession, readChecked} from './export-session.js'
import {INDEX_MARKDOWN, writeIndex} from './index-file.js'
import {withLock} from './lock.js'
import {expiringSoon} from './expiry.js'
import {sessionKey} from './layout.js'
import {OutputFolder} from './output-folder.js'
import {type AgentPlan, hashOptions, type Log, type PlannedSession, planExports, type PlanOptions} from './plan.js'
import {ExportState, STATE_LOCK} from './state.js'
import {readAhead} from '../kit/read-ahead.js'
import {WriteQueue} from './write-queue.js'

export interface SyncOptions extends PlanOptions {
  output: string
  /** Export even sessions whose export is up to date. */
  force: boolean
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
  /** Sessions the agent will soon delete that are still not exported after this run. */
  expiringUnexported: number
}

/**
 * The whole export: plan (discover → filter → layout → status), then read, shape and write
 * each session that is not up to date. The next sessions are read while the current ones are
 * written, within a small byte budget: memory holds a few small sessions or one large one.
 */
export async function runSync(options: SyncOptions, log: Log): Promise<SyncReport> {
  const output = new OutputFolder(path.resolve(options.output))
  const state = await ExportState.load(output)
  if (state.problem) log.warn(state.problem)
  const plans = await planExports(options, state, output, log)
  const optionsKey = hashOptions(options)
  const report: SyncReport = {agents: [], expiringUnexported: 0, written: []}
  for (const plan of plans) {
    const agent: AgentReport = {agent: plan.reader.agent, displayName: plan.reader.displayName, failed: plan.error ? 1 : 0, found: plan.sessions.length, installed: plan.installed, redacted: 0, upToDate: 0, warnings: 0, written: 0}
    report.agents.push(agent)
    const links = new Map(plan.sessions.map(({file, ref}) => [ref.id, file]))
    const toExport: PlannedSession[] = []
    for (const planned of plan.sessions) {
      if (planned.status !== 'up to date' || options.force) toExport.push(planned)
      else log.debug(`${planned.file}: up to date, not read again`)
    }

    agent.upToDate = plan.sessions.length - toExport.length
    let done = agent.upToDate
    const reads = readAhead(toExport, (planned) => planned.ref.sizeBytes, (planned) => readChecked(plan.reader, planned.ref, plan.ctx), READ_AHEAD)
    const writes = new WriteQueue(READ_AHEAD)
    const finish = (planned: PlannedSession, redacted: number | null) => {
      if (redacted === null) {
        agent.failed++
        if (expiringSoon(planned.ref.expiresAt)) report.expiringUnexported++
      } else {
        agent.written++
        agent.redacted += redacted
        report.written.push(planned.file)
      }

      log.progress?.(++done, plan.sessions.length, plan.reader.agent)
    }

    for await (const [planned, read] of reads) {
      if ('error' in read) finish(planned, failed(planned, plan, read.error, log))
      else await writes.add(planned.ref.sizeBytes, async () => finish(planned, await writeOne(planned, read.session, plan, {links, log, options, optionsKey, output, state})))
    }

    await writes.drain()

    agent.warnings = plan.warnings.count
    // Saved after each agent, so an interrupted first export of a large history keeps most of its progress.
    await saveState(state, output, options.writer.format)
  }

  await saveState(state, output, options.writer.format)
  return report
}

/** Merged under a lock so that concurrent runs (a watch and a manual sync) keep each other's records. */
async function saveState(state: ExportState, output: OutputFolder, format: string): Promise<void> {
  // A run that exported nothing and finds the index in place has nothing to save: no lock taken.
  if (!state.unsaved && (await output.exists(INDEX_MARKDOWN))) return
  // Here something was exported or the index went missing: either way the index is written again.
  await withLock(output.resolve(STATE_LOCK), async () => {
    await state.save(output)
    await writeIndex(state, output, format)
  })
}

interface ExportContext {
  links: Map<string, string>
  log: Log
  options: SyncOptions
  optionsKey: string
  output: OutputFolder
  state: ExportState
}

/** Reading overlaps writing, within a few sessions and 8 MB of source files (more bought no speed in `npm run bench`, only memory). */
const READ_AHEAD = {bytes: 8 * 1024 * 1024, count: 4}

function failed({ref}: PlannedSession, {reader}: AgentPlan, error: string, log: Log): null {
  log.warn(`${reader.displayName}: session ${ref.id} (${ref.sourcePath}) was not exported: ${error}`)
  return null
}

/** Writes one session and records it; the number of secrets it redacted, or null when it failed. */
async function writeOne(planned: PlannedSession, read: Session, plan: AgentPlan, {links, log, options, optionsKey, output, state}: ExportContext): Promise<number | null> {
  const {file, ref} = planned
  try {
    const {facts, secrets} = await exportSession(read, file, links, options, output, log.debug)
    state.set(sessionKey(ref), options.writer.format, facts, {exportedAt: new Date().toISOString(), file, fingerprint: ref.fingerprint, optionsKey})
    return secrets
  } catch (error) {
    return failed(planned, plan, (error as Error).message, log)
  }
}
