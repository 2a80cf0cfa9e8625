import type {Interfaces} from '@oclif/core'
import {Command} from '@oclif/core/command'
import type {Reader, Writer} from './plugin-api.js'
import {DEFAULT_OUTPUT} from './flags.js'
import {exportedRedacted} from './pipeline/redaction-mark.js'
import {loadRegistry} from './registry.js'
import {outputFolder, parseSince, resolveWorkspaces, SelectionError, selectReaders, selectWriter, sessionIds} from './selection.js'
import type {SyncOptions} from './pipeline/sync.js'
import {unexpectedArguments} from './unexpected-arguments.js'

/** The flags every pipeline command understands; commands that lack one get its default. */
export interface PipelineFlags {
  agent: string
  branch?: string
  session?: string[]
  since?: string
  'no-subagents'?: boolean
  workspace?: string
  format: string
  /** Absent for commands without --output (stats), which read the default folder. */
  output?: string
  'no-tools'?: boolean
  'no-thinking'?: boolean
  'no-attachments'?: boolean
  force?: boolean
  'all-branches'?: boolean
  'max-output-chars'?: number
  redact?: boolean
}

/** Turns flags into pipeline options, with clear errors for agents or formats that are not installed. */
export abstract class PipelineCommand extends Command {
  /**
   * For commands that take flags only, which are not strict: oclif would take a word after such a
   * command's name for part of the name (`sync ~/app`: "not a sessionsync command"). Refused here,
   * with the flag a folder was likely meant for.
   */
  protected refuseArguments(argv: unknown[]): void {
    if (argv.length === 0) return
    const command = `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trim()
    this.error(unexpectedArguments(argv.map(String), command), {exit: 2})
  }

  protected async pipelineOptions(flags: PipelineFlags): Promise<SyncOptions & {writer: Writer}> {
    const registry = await loadRegistry(this.config as Interfaces.Config)
    for (const problem of registry.problems) this.warn(problem)
    try {
      const output = flags.output === undefined ? outputFolder(DEFAULT_OUTPUT, null) : outputFolder(flags.output, '--output')
      // Commands that can redact follow the folder's mark when not told either way; stats, which cannot, does not.
      const redactGiven = 'redact' in (this.constructor as typeof Command).flags ? (flags.redact ?? null) : false
      const redact = redactGiven ?? exportedRedacted(output)
      if (redactGiven === null && redact) this.logToStderr(`The exports in ${output} were made with --redact: secrets are replaced again (--no-redact to stop).`)
      const readers = selectReaders(registry, flags.agent)
      const writer = selectWriter(registry, flags.format)
      // Every reader and writer came from the registry, which knows its plugin.
      const origin = (item: Reader | Writer) => {
        const {name, version} = registry.origins.get(item)!
        return `${name}@${version}`
      }
      return {
        attachments: !flags['no-attachments'],
        branch: flags.branch ?? null,
        cacheDir: this.config.cacheDir,
        env: process.env,
        force: flags.force ?? false,
        maxOutputChars: flags['max-output-chars'] ?? null,
        output,
        outputSalt: {core: this.config.version, readers: Object.fromEntries(readers.map((reader) => [reader.agent, origin(reader)])), writer: origin(writer)},
        readerOptions: {allBranches: flags['all-branches'] ?? false},
        readers,
        redact,
        redactGiven,
        sessions: sessionIds(flags.session),
        since: flags.since === undefined ? null : parseSince(flags.since),
        subagents: !flags['no-subagents'],
        thinking: !flags['no-thinking'],
        tools: !flags['no-tools'],
        workspaces: resolveWorkspaces(flags.workspace),
        writer,
      }
    } catch (error) {
      if (error instanceof SelectionError) this.error(error.message, {exit: 2})
      throw error
    }
  }
}
