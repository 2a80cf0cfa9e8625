import type {Interfaces} from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import {countOf} from '../count.js'
import {INTERRUPTED_EXIT, untilInterrupted} from '../interrupt.js'
import {exportFlags, selectionFlags} from '../flags.js'
import {runSync, type SyncReport} from '../pipeline/sync.js'
import {formatSummary} from '../summary.js'
import {PipelineCommand} from '../pipeline-command.js'
import {consoleLog, warningsOnce} from '../sync-log.js'
import {loadRegistry} from '../registry.js'
import {UnchangedRunRecorder} from '../unchanged-run/recorder.js'
import {watchFlags, watchUntilStopped} from './watch.js'

export default class Sync extends PipelineCommand {
  static description = `Reads the sessions of every installed agent (or the one named with --agent) whose working directory is the workspace, and writes one file per session into the output folder: <output>/<agent>/<date>-<title>-<id>.<ext>, subagent sessions in a folder named after their parent, images in an attachments/ folder beside the session. INDEX.md (for people and agents: a line per session, with its size, the files it changed and, for a fork, where it came from) and index.json (for programs) list everything exported into the folder. Sessions whose export is up to date are skipped without being read. Ctrl-C stops after the sessions being written, which are kept and recorded: the next sync exports only the rest. The same sync run again with nothing changed answers at once, from a record of the run before (not with --force, --verbose, --watch, --branch or --since).

Running sessionsync without a command runs sync.`

  static examples = [
    {command: '<%= config.bin %>', description: 'Export every session of the current folder to .sessions/ as Markdown'},
    {command: '<%= config.bin %> --agent claude --format json', description: 'Only Claude Code sessions, as JSON'},
    {command: '<%= config.bin %> sync -w ~/code/app -b main -o ~/archive', description: 'Sessions of another project on branch main, into an archive folder'},
    {command: '<%= config.bin %> --no-tools --no-thinking', description: 'Just the conversation: no tool calls, no thinking'},
    {command: '<%= config.bin %> --session 7f3c2a10 -o /tmp/share', description: 'One session (the short id from file names or sessionsync list), with its subagents, to share'},
    {command: '<%= config.bin %> --since 7d', description: 'Only the sessions of the last seven days'},
  ]

  static flags = {
    ...selectionFlags,
    ...exportFlags,
    watch: Flags.boolean({default: false, description: 'After the export, keep the exports current while agents work (as sessionsync watch).'}),
    ...watchFlags,
  }

  static strict = false

  static summary = 'Export agent sessions of a workspace to Markdown, JSON or TOON files.'

  async run(): Promise<void> {
    const {argv, flags, metadata} = await this.parse(Sync)
    this.refuseArguments(argv)
    // Meaningless without watching: refused rather than ignored.
    if (!flags.watch && metadata.flags.debounce?.setFromDefault !== true) this.error('--debounce applies only with --watch', {exit: 2})
    const options = await this.pipelineOptions(flags)
    // A run that leaves every export up to date is remembered, so that the same run can answer at
    // once next time if nothing changed (bin/run.js): not with --force, --watch or --verbose, which
    // ask for more, nor when a plugin failed to register (its warning would not be repeated).
    const {problems} = await loadRegistry(this.config as Interfaces.Config)
    const remembered = !flags.force && !flags.watch && !flags.verbose && problems.length === 0
    const messages = flags.watch ? warningsOnce(consoleLog(flags.verbose)) : consoleLog(flags.verbose)
    const recorder = remembered ? await UnchangedRunRecorder.start(this.config as Interfaces.Config, [this.id!, ...this.argv], options, messages) : null
    const log = recorder?.listen(messages) ?? messages
    const report = await untilInterrupted((signal) => runSync({...options, signal}, log), log.info)
    const summaryOf = (outcome: SyncReport) => formatSummary(outcome, flags.output, options.writer.displayName)
    this.log(summaryOf(report))
    await recorder?.finish(report, summaryOf)
    if (report.expiringUnexported > 0) {
      this.warn(`${countOf(report.expiringUnexported, 'session')} will be deleted by their agent within 7 days and could not be exported: see sessionsync list.`)
    }

    if (report.interrupted) this.exit(INTERRUPTED_EXIT)
    const failed = report.noRoom !== null || report.unmatchedSessions.length > 0 || report.agents.some((agent) => agent.failed > 0 || agent.warnings > 0)
    if (flags.watch) await watchUntilStopped(options, flags.debounce, log, (line) => this.log(line))
    if (failed) this.exit(1)
  }
}
