import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {homedir} from 'node:os'
import {kit} from '../kit/index.js'
import type {ExportStatus} from '../model/export-status.js'
import type {SessionRef} from '../model/ref.js'
import type {DiscoveryMemo, Reader, ReaderContext, Writer} from '../plugin-api.js'
import {countOf} from '../count.js'
import {archivedSessions} from './archived.js'
import {discover, discoverAgain, type Rediscovery} from './discover.js'
import {redactValue} from './redact/index.js'
import {DiscoveryCache} from './discovery-cache.js'
import {holdsExportOf} from './file-start.js'
import {filterRefs, type FilterOptions, idsNamingNothing} from './filter.js'
import {noSessionHint} from './no-session-hint.js'
import {type PlannedExport, planLayout, sessionKey} from './layout.js'
import {OutputFolder} from './output-folder.js'
import {ExportState, isCurrentExport} from './state.js'
import type {ContentOptions} from './transform.js'

export interface PlanOptions extends ContentOptions, FilterOptions {
  readers: Reader[]
  writer: Writer
  env: NodeJS.ProcessEnv
  /** Options handed to readers (e.g. `allBranches`). */
  readerOptions: Record<string, unknown>
  /** Shapes the output without being a flag: a new version of sessionsync or of a plugin exports again. */
  outputSalt: OutputSalt
  /** sessionsync's cache folder, where discovery remembers what it saw; null: remember nothing. */
  cacheDir: string | null
  /**
   * Whether to say why nothing was found, and where sessions are, and which `--session` ids
   * matched nothing (default). Not in watch's exports after the first, which ask only the
   * readers whose files changed, nor in `show`, whose own error names the id it was given.
   */
  explainNothingFound?: boolean
  /** In `watch`: what it kept of the last discovery, so that a change to a few files is discovered alone. */
  rediscovery?: Rediscovery
}

export interface OutputSalt {
  /** sessionsync's version. */
  core: string
  /** The writer's plugin, name@version: a new one exports every session again. */
  writer: string
  /** Each agent's reader plugin, name@version: a new one exports that agent's sessions again. */
  readers: Readonly<Record<string, string>>
}

export interface Log {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /** A session finished: for progress display. */
  progress?(done: number, total: number, agent: string): void
  /** Sessions an agent's discovery found so far, or null once it ended: for progress display. */
  finding?(found: number | null, agent: string): void
}

export interface PlannedSession extends PlannedExport {
  status: ExportStatus
}

export interface AgentPlan {
  reader: Reader
  ctx: ReaderContext
  installed: boolean
  /** Discovery failed as a whole: why. */
  error: string | null
  sessions: PlannedSession[]
  /** The key of every session the reader found, the filters' choice or not: which sessions the agent still has. */
  discovered: Set<string>
  /** Problems reported by the reader (corrupt lines, unreadable files), counted per agent. */
  warnings: {count: number}
  /** What shapes this agent's exports (`hashOptions`): recorded with each one written, compared to know it current. */
  optionsKey: string
}

/**
 * Everything up to reading: which sessions each agent has, which the filters keep, where each
 * is exported and whether that export is current. `sync` exports from it, `list` shows it.
 */
export async function planExports(options: PlanOptions, state: ExportState, output: OutputFolder, log: Log): Promise<AgentPlan[]> {
  const plans: AgentPlan[] = []
  for (const reader of options.readers) {
    const optionsKey = hashOptions(options, reader.agent)
    const warnings = {count: 0}
    // What an earlier version of sessionsync or of the reader learned may not be what this one would.
    const memo = await DiscoveryCache.load(options.cacheDir, reader.agent, `${options.outputSalt.core} ${options.outputSalt.readers[reader.agent] ?? ''}`)
    const ctx = readerContext(reader, options, log, warnings, memo)
    const plan: AgentPlan = {ctx, discovered: new Set(), error: null, installed: true, optionsKey, reader, sessions: [], warnings}
    plans.push(plan)
    let refs: SessionRef[]
    try {
      const found = (count: number | null) => log.finding?.(count, reader.agent)
      const {discovery, whole} = options.rediscovery ? await discoverAgain(reader, ctx, options.rediscovery) : {discovery: await discover(reader, ctx, found).finally(() => found(null)), whole: true}
      await memo.save(discovery.roots, {whole}).catch((error: Error) => log.debug(`${reader.displayName}: the discovery cache could not be saved (${error.message})`))
      plan.installed = discovery.roots.length > 0
      refs = filterRefs(discovery.refs, options)
      plan.discovered = new Set(discovery.refs.map((ref) => sessionKey(ref)))
      // Titles become file names: with --redact, a secret in a first prompt must not name a file.
      if (options.redact) refs = refs.map((ref) => ({...ref, title: ref.title === null ? null : redactValue(ref.title)}))
    } catch (error) {
      plan.error = (error as Error).message
      log.warn(`${reader.displayName}: could not list sessions: ${plan.error}`)
      continue
    }

    const layout = planLayout(refs, {extension: options.writer.extension, existingNames: (folder) => output.namesSync(folder), isExportOf: (file, id) => holdsExportOf(output.resolve(file), id), previous: state.files(options.writer.format)})
    for (const {file, ref} of layout) {
      const previous = state.get(sessionKey(ref), options.writer.format)
      // The folder listings layout already read: no stat per session, which a re-run would wait on 2,000 times.
      const current = previous?.file === file && output.listedSync(file)
      const status: ExportStatus = !current ? 'missing' : isCurrentExport(previous, ref, optionsKey) ? 'up to date' : 'stale'
      plan.sessions.push({file, ref, status})
    }
  }

  if (options.explainNothingFound === false) return plans
  if (options.workspaces && plans.every((plan) => plan.sessions.length === 0)) {
    // Sessions the agents deleted but sessionsync kept: this is the right folder, and they are not lost.
    const kept = archivedSessions(state, plans, options, []).length
    // A folder since deleted still has sessions to export, so its absence is told only here.
    const hint = kept > 0 ? `The agents no longer have the sessions of ${options.workspaces[0]}; ${countOf(kept, 'session')} of it ${kept === 1 ? 'is' : 'are'} kept in the exports in ${output.root} (sessionsync list shows them).` : noSessionHint(await sessionsAnywhere(plans, options, log), options, existsSync)
    if (hint) log.info(hint)
  } else {
    // One mistyped id among several would otherwise go unnoticed: the others were found.
    const unmatched = sessionIdsNamingNothing(plans, state, options)
    if (unmatched.length > 0) log.warn(`no session${options.workspaces ? ` of ${options.workspaces.join(', ')}` : ''} matched --session ${unmatched.join(', ')}; sessionsync list shows their ids`)
  }

  return plans
}

/** The `--session` ids that name no session found, nor one the exports keep of which the agent has none. */
export function sessionIdsNamingNothing(plans: readonly AgentPlan[], state: ExportState, options: FilterOptions): string[] {
  if (!options.sessions) return []
  const found = [...plans.flatMap((plan) => plan.sessions.map(({ref}) => ref)), ...archivedSessions(state, plans, options, []).map(({facts}) => facts)]
  return idsNamingNothing(options.sessions, found)
}

/**
 * Every session the installed agents have, whatever its folder: discovered again without the
 * workspace, which some readers use to look at less. Their problems were told the first time.
 */
async function sessionsAnywhere(plans: readonly AgentPlan[], options: PlanOptions, log: Log): Promise<SessionRef[]> {
  const quiet: Log = {debug: log.debug, info: log.debug, warn: log.debug}
  const refs: SessionRef[] = []
  for (const plan of plans) {
    if (!plan.installed || plan.error !== null) continue
    try {
      refs.push(...(await discover(plan.reader, readerContext(plan.reader, {...options, workspaces: null}, quiet, {count: 0}, plan.ctx.memo))).refs)
    } catch (error) {
      log.debug(`${plan.reader.displayName}: could not list the sessions of other folders: ${(error as Error).message}`)
    }
  }

  return refs
}

/** The plan against the exports in `options.output`, read as they are: where list, search, show and stats start. */
export async function planAgainstOutput(options: PlanOptions & {output: string}, log: Log): Promise<{output: OutputFolder; state: ExportState; plans: AgentPlan[]}> {
  const output = new OutputFolder(options.output)
  const state = await ExportState.load(output)
  return {output, plans: await planExports(options, state, output, log), state}
}

/**
 * Whether a session this run would write again was last exported with --redact, and otherwise as
 * this run would: the folder's mark of --redact is gone, though no run here was told --no-redact
 * (a copy of the folder made elsewhere, where one was, brought here by git).
 */
export function redactedBefore(plans: AgentPlan[], state: ExportState, options: PlanOptions): boolean {
  return plans.some((plan) => {
    const redactedKey = hashOptions({...options, redact: true}, plan.reader.agent)
    return plan.sessions.some(({ref, status}) => status !== 'up to date' && state.get(sessionKey(ref), options.writer.format)?.optionsKey === redactedKey)
  })
}

/** Hash of everything that shapes an export of `agent`'s sessions besides the source: a change means export again. */
function hashOptions(options: PlanOptions, agent: string): string {
  const shaping = {
    attachments: options.attachments,
    format: options.writer.format,
    maxOutputChars: options.maxOutputChars,
    readerOptions: options.readerOptions,
    redact: options.redact,
    salt: [options.outputSalt.core, options.outputSalt.writer, options.outputSalt.readers[agent] ?? null],
    thinking: options.thinking,
    tools: options.tools,
  }
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex').slice(0, 16)
}

/** The context a reader works in; its warnings are counted for the agent's summary line. */
export function readerContext(reader: Reader, options: Pick<PlanOptions, 'branch' | 'env' | 'readerOptions' | 'workspaces'>, log: Log, warnings: {count: number}, memo: DiscoveryMemo = forgetfulMemo): ReaderContext {
  return {
    debug: (message) => log.debug(`${reader.displayName}: ${message}`),
    env: options.env,
    hints: {branch: options.branch, workspace: options.workspaces?.length === 1 ? options.workspaces[0] : null},
    // Without HOME (some cron jobs and services), the account's home: '' would make every agent's folder relative to here.
    home: options.env.HOME || options.env.USERPROFILE || homedir(),
    kit,
    memo,
    options: options.readerOptions,
    warn(message) {
      warnings.count++
      log.warn(`${reader.displayName}: ${message}`)
    },
  }
}

/** For contexts that discover nothing worth keeping (watching paths). */
const forgetfulMemo: DiscoveryMemo = {get: () => undefined, set() {}}
