import {createHash} from 'node:crypto'
import {stat} from 'node:fs/promises'
import path from 'node:path'
import {kit} from '../kit/index.js'
import type {SessionRef} from '../model/ref.js'
import {SessionSchema} from '../model/session.js'
import type {Reader, ReaderContext, Writer} from '../plugin-api.js'
import {extractAttachments} from './attachments.js'
import {discover} from './discover.js'
import {filterRefs, type FilterOptions} from './filter.js'
import {type PlannedExport, planLayout, sessionKey} from './layout.js'
import {OutputFolder} from './output-folder.js'
import {ExportState} from './state.js'
import {type ContentOptions, shapeContent} from './transform.js'

export interface SyncOptions extends ContentOptions, FilterOptions {
  readers: Reader[]
  writer: Writer
  output: string
  env: NodeJS.ProcessEnv
  /** Export even sessions whose export is up to date. */
  force: boolean
  /** Options handed to readers (e.g. `allBranches`). */
  readerOptions: Record<string, unknown>
  /** Only these sessions (by key), for watch: everything else is left alone. */
  only?: ReadonlySet<string>
  /** Shapes the output but is not a flag of its own, e.g. the sessionsync version. */
  outputSalt: string
}

export interface SyncLog {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /** A session finished: for progress display. */
  progress?(done: number, total: number, agent: string): void
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
}

export interface SyncReport {
  agents: AgentReport[]
  /** The files written, relative to the output folder. */
  written: string[]
}

/**
 * The whole export: discover → filter → skip unchanged → read → shape → write, one session
 * at a time so memory holds at most one session's model.
 */
export async function runSync(options: SyncOptions, log: SyncLog): Promise<SyncReport> {
  const output = new OutputFolder(path.resolve(options.output))
  const state = await ExportState.load(output)
  if (state.problem) log.warn(state.problem)
  const optionsKey = hashOptions(options)
  const report: SyncReport = {agents: [], written: []}

  for (const reader of options.readers) {
    const agentReport: AgentReport = {agent: reader.agent, displayName: reader.displayName, failed: 0, found: 0, installed: true, upToDate: 0, warnings: 0, written: 0}
    report.agents.push(agentReport)
    const ctx = readerContext(reader, options, log, agentReport)
    let refs: SessionRef[]
    try {
      const discovery = await discover(reader, ctx)
      agentReport.installed = discovery.roots.length > 0
      refs = filterRefs(discovery.refs, options).filter((ref) => !options.only || options.only.has(sessionKey(ref)))
    } catch (error) {
      log.warn(`${reader.displayName}: could not list sessions: ${(error as Error).message}`)
      agentReport.failed++
      continue
    }

    agentReport.found = refs.length
    const plan = planLayout(refs, {extension: options.writer.extension, existingNames: (folder) => output.namesSync(folder), previous: state.files(options.writer.format)})
    const links = new Map(plan.map(({file, ref}) => [ref.id, file]))
    let done = 0
    for (const planned of plan) {
      const outcome = await exportOne(planned, {ctx, links, optionsKey, options, output, reader, state})
      if (outcome === 'written') report.written.push(planned.file)
      if (outcome === 'failed') agentReport.failed++
      else if (outcome === 'written') agentReport.written++
      else agentReport.upToDate++
      log.progress?.(++done, plan.length, reader.agent)
    }
  }

  await state.save(output)
  return report
}

interface ExportContext {
  ctx: ReaderContext
  reader: Reader
  links: Map<string, string>
  options: SyncOptions
  optionsKey: string
  output: OutputFolder
  state: ExportState
}

async function exportOne({file, ref}: PlannedExport, context: ExportContext): Promise<'failed' | 'upToDate' | 'written'> {
  const {ctx, links, options, optionsKey, output, reader, state} = context
  const key = sessionKey(ref)
  const previous = state.get(key, options.writer.format)
  if (!options.force && previous?.file === file && previous.fingerprint === ref.fingerprint && previous.optionsKey === optionsKey && (await exists(output.resolve(file)))) {
    return 'upToDate'
  }

  try {
    const read = SessionSchema.safeParse(await reader.read(ref, ctx))
    if (!read.success) throw new Error(`the reader produced an invalid session: ${summarizeIssues(read.error.issues)}`)
    const session = await extractAttachments(shapeContent(read.data, options), file, output)
    const content = options.writer.render(session, {linkToSession: (id) => relativeLink(file, links.get(id))})
    await output.write(file, content)
    state.set(key, options.writer.format, {exportedAt: new Date().toISOString(), file, fingerprint: ref.fingerprint, optionsKey})
    return 'written'
  } catch (error) {
    ctx.warn(`session ${ref.id} (${ref.sourcePath}) was not exported: ${(error as Error).message}`)
    return 'failed'
  }
}

function readerContext(reader: Reader, options: SyncOptions, log: SyncLog, report: AgentReport): ReaderContext {
  const home = options.env.HOME ?? options.env.USERPROFILE ?? ''
  return {
    debug: (message) => log.debug(`${reader.displayName}: ${message}`),
    env: options.env,
    hints: {workspace: options.workspaces?.length === 1 ? options.workspaces[0] : null},
    home,
    kit,
    options: options.readerOptions,
    warn(message) {
      report.warnings++
      log.warn(`${reader.displayName}: ${message}`)
    },
  }
}

function relativeLink(from: string, to: string | undefined): string | null {
  return to ? path.posix.relative(path.posix.dirname(from), to) : null
}

function hashOptions(options: SyncOptions): string {
  const shaping = {
    attachments: options.attachments,
    format: options.writer.format,
    readerOptions: options.readerOptions,
    salt: options.outputSalt,
    thinking: options.thinking,
    tools: options.tools,
  }
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex').slice(0, 16)
}

function summarizeIssues(issues: readonly {path: PropertyKey[]; message: string}[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  )
}
