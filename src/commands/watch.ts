import * as Flags from '@oclif/core/flags'
import {once} from 'node:events'
import path from 'node:path'
import {exportFlags, selectionFlags} from '../flags.js'
import {INTERRUPTED_EXIT, untilInterrupted} from '../interrupt.js'
import type {Log} from '../pipeline/plan.js'
import {runSync, type SyncOptions} from '../pipeline/sync.js'
import {claimWatch} from '../pipeline/watch-claim.js'
import {PipelineCommand} from '../pipeline-command.js'
import {formatSummary} from '../summary.js'
import {consoleLog, warningsOnce} from '../sync-log.js'

export const watchFlags = {
  debounce: Flags.integer({default: 300, description: 'With watching: milliseconds of quiet after a change before exporting; an agent that writes without such a pause is still exported every ten times as long.', helpValue: 'MS', min: 0}),
}

/**
 * Watches until Ctrl-C (or SIGTERM, or its terminal closes), logging one line per file re-exported,
 * with the time it was.
 * Stopping is listened for before watching starts: the watcher may export while it starts (while
 * chokidar lists a large history), and a signal unheard then would end the export halfway.
 */
export async function watchUntilStopped(options: SyncOptions, debounceMs: number, log: Log, print: (line: string) => void): Promise<void> {
  // Timed, so that a watch left running all day says when each session was last exported.
  const onExport = (report: {written: string[]}) => {
    const time = new Date().toTimeString().slice(0, 8)
    for (const file of report.written) print(`${time} updated ${file}`)
  }

  // Loaded only to watch: a one-off sync has no use for chokidar.
  const {ExportWatcher} = await import('../pipeline/watch.js')
  const watcher = new ExportWatcher(options, {debounceMs, locateIntervalMs: 5000, onExport}, log)
  const claim = await claimWatch(options.cacheDir, path.resolve(options.output))
  if (claim.alreadyWatching) log.warn(`${claim.alreadyWatching} watches ${options.output} already: this watch exports every change again, twice the work for the same files (stop one of them)`)
  try {
    await untilInterrupted(async (signal) => {
      const stopAsked = once(signal, 'abort')
      await Promise.race([watcher.start(), stopAsked])
      if (!signal.aborted) print('Watching for changes; press Ctrl-C to stop.')
      await stopAsked
      await watcher.stop()
    }, log.info, () => watcher.busy)
  } finally {
    await claim.release()
  }
}

export default class Watch extends PipelineCommand {
  static description = `Runs one full sync, then watches the agents' session files and databases and re-exports each session that changes, a moment after the agent writes it (bursts of writes are gathered into one export). After each export, watch rests four times what the export cost, so a large session being written does not keep a core busy. New sessions and subagents appear on their own; an export is never deleted when its source goes away. The index (INDEX.md, index.json) and the state file, each rewritten whole, follow at most every 10 seconds while agents write, less often for a history of thousands of sessions (about every 2 minutes at 9,000). Stop with Ctrl-C: an export under way is finished first, the changes not exported yet are exported, and the index is written.`

  static examples = [
    {command: '<%= config.bin %> watch', description: 'Keep .sessions/ current for the current folder'},
    {command: '<%= config.bin %> watch -a claude -f json -o ~/archive', description: 'Keep a JSON archive of Claude Code sessions current'},
  ]

  static flags = {...selectionFlags, ...exportFlags, ...watchFlags}

  static strict = false

  static summary = 'Export, then keep the exports current while agents work.'

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Watch)
    this.refuseArguments(argv)
    const options = await this.pipelineOptions(flags)
    const log = warningsOnce(consoleLog(flags.verbose))
    const report = await untilInterrupted((signal) => runSync({...options, signal}, log), log.info)
    this.log(formatSummary(report, flags.output, options.writer.displayName))
    if (report.interrupted) this.exit(INTERRUPTED_EXIT)
    await watchUntilStopped(options, flags.debounce, log, (line) => this.log(line))
  }
}
