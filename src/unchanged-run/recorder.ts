import {existsSync} from 'node:fs'
import {readdir, rm, stat} from 'node:fs/promises'
import path from 'node:path'
import type {Interfaces} from '@oclif/core'
import type {ReaderInput} from '../plugin-api.js'
import {indexFileNames} from '../pipeline/index-file.js'
import {OutputFolder} from '../pipeline/output-folder.js'
import {type Log, readerContext} from '../pipeline/plan.js'
import {STATE_FILE} from '../pipeline/state.js'
import type {SyncOptions, SyncReport} from '../pipeline/sync.js'
import {RECORDS_FOLDER, recordFile, type RunCheck, type RunRecord, thisRun} from './record.js'
import {type RunInput, stampInputs} from './stamp.js'

/** Records older than this are removed (the runs of long-gone folders); one still in use is simply made again. */
const RECORD_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000
const RECORDS_KEPT = 64

/**
 * Remembers a `sync` that left every export up to date, for `replayUnchangedRun`. The sources
 * are stamped before the run reads them: a change made while it runs shows at the next run,
 * which then takes the ordinary way. The output folder is stamped after the run has written it.
 */
export class UnchangedRunRecorder {
  private spoke = false

  private constructor(
    private readonly file: string,
    private readonly sources: RunCheck,
    private readonly output: string,
    private readonly log: Log,
  ) {}

  /**
   * Null when the run cannot be answered from a record: a reader that does not say what it depends
   * on, `--branch` or `--since`, a linked plugin.
   */
  static async start(config: Interfaces.Config, args: readonly string[], options: SyncOptions, log: Log): Promise<UnchangedRunRecorder | null> {
    // With --branch, OpenCode's and Pi's sessions count on the branch each project has checked
    // out now: a file in every project, not among any reader's inputs.
    if (options.branch !== null) return null
    // An age (--since 7d) moves with the clock, which is not an input either.
    if (options.since) return null
    // A linked plugin is a folder someone is editing, whose code may lie anywhere in it (a
    // register.js at its root): its package.json and dist, stamped below, would miss a change.
    if (config.getPluginsList().some((plugin) => plugin.type === 'link')) return null
    const inputs: RunInput[] = []
    for (const reader of options.readers) {
      if (!reader.inputs) return null
      const warnings = {count: 0}
      try {
        inputs.push(...(await reader.inputs(readerContext(reader, options, log, warnings))).map(runInput))
        if (warnings.count > 0) return null
      } catch (error) {
        log.debug(`${reader.displayName}: cannot say what it depends on (${(error as Error).message}); this run is not remembered`)
        return null
      }
    }

    // sessionsync and its plugins: an upgrade, a rebuild, a plugin installed or removed.
    for (const plugin of config.getPluginsList()) {
      for (const part of ['package.json', 'dist']) inputs.push({path: path.join(plugin.root, part), scope: 'tree'})
    }

    inputs.push({path: path.join(config.dataDir, 'package.json'), scope: 'tree'})
    return new UnchangedRunRecorder(recordFile(thisRun(config.root, args)), {inputs, stamp: stampInputs(inputs)}, options.output, log)
  }

  /** The log of the run, watched: a run that said anything beyond its summary is not remembered. */
  listen(log: Log): Log {
    const spoke = <T extends unknown[]>(say: (...args: T) => void) => (...args: T) => {
      this.spoke = true
      say(...args)
    }

    return {...log, info: spoke(log.info), warn: spoke(log.warn)}
  }

  /**
   * Saves the record when the run left every session it found exported, without a problem;
   * `summaryOf` gives what a run with nothing to do prints.
   */
  async finish(report: SyncReport, summaryOf: (report: SyncReport) => string): Promise<void> {
    if (this.spoke || report.expiringUnexported > 0 || report.agents.some((agent) => agent.failed > 0 || agent.warnings > 0)) return
    // The state file, the index files (which a sync writes again once something else changed
    // them), and every folder's names (an export deleted or moved); edits to exports do not matter.
    const files = [STATE_FILE, ...indexFileNames(new OutputFolder(this.output))]
    const inputs: RunInput[] = [...files.map((file): RunInput => ({path: path.join(this.output, file), scope: 'tree'})), {path: this.output, scope: 'folders'}]
    const output = {inputs, stamp: stampInputs(inputs)}
    // Checked after the stamp: an export deleted before it is seen here, one deleted after it changes the stamp.
    if (!report.files.every((file) => existsSync(path.join(this.output, file)))) return
    const upToDate = report.agents.map((agent) => ({...agent, redacted: 0, upToDate: agent.found, written: 0}))
    const record: RunRecord = {checks: [this.sources, output], stdout: `${summaryOf({...report, agents: upToDate, written: []})}\n`, version: 1}
    // Written the way exports are (temporary file, then renamed): a reader sees a whole record or none.
    const cache = new OutputFolder(path.dirname(path.dirname(this.file)))
    try {
      await cache.write(path.join(RECORDS_FOLDER, path.basename(this.file)), JSON.stringify(record))
      await removeOldRecords(path.dirname(this.file))
    } catch (error) {
      // The export is done either way: without its record, the next run only takes the ordinary way.
      this.log.debug(`this run could not be remembered in ${cache.root}: ${(error as Error).message}`)
    }
  }
}

function runInput(input: ReaderInput): RunInput {
  return typeof input === 'string' ? {path: path.resolve(input), scope: 'tree'} : {path: path.resolve(input.listing), scope: 'listing'}
}

/**
 * Keeps the records few: the newest ones, none older than a month. A run started with a variable
 * that differs every time (a scheduler's invocation id) makes a new record each time.
 */
async function removeOldRecords(folder: string): Promise<void> {
  const now = Date.now()
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.json'))
  const records = await Promise.all(names.map((name) => path.join(folder, name)).map(async (file) => ({file, time: (await stat(file).catch(() => null))?.mtimeMs ?? 0})))
  records.sort((a, b) => b.time - a.time)
  for (const [index, {file, time}] of records.entries()) {
    if (index >= RECORDS_KEPT || now - time > RECORD_LIFETIME_MS) await rm(file, {force: true})
  }
}
