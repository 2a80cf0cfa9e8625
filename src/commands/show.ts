import {once} from 'node:events'
import {existsSync} from 'node:fs'
import {Args} from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import {countOf} from '../count.js'
import {fromCurrentFolder} from '../display-path.js'
import {DEFAULT_OUTPUT, exportFlags, selectionFlags} from '../flags.js'
import {readChecked} from '../pipeline/export-session.js'
import {withTitle} from '../pipeline/facts.js'
import {isNamedBy} from '../pipeline/filter.js'
import {sessionKey} from '../pipeline/layout.js'
import {shortId} from '../pipeline/names.js'
import {OutputFolder} from '../pipeline/output-folder.js'
import {planExports} from '../pipeline/plan.js'
import {redactSession} from '../pipeline/redact/index.js'
import {renderContext, renderedPieces} from '../pipeline/rendering.js'
import {ExportState} from '../pipeline/state.js'
import {shapeContent} from '../pipeline/transform.js'
import {PipelineCommand} from '../pipeline-command.js'
import {printable} from '../printable.js'
import {consoleLog} from '../sync-log.js'

export default class Show extends PipelineCommand {
  static args = {
    id: Args.string({description: 'The session: its id, the start of it, or its short id (as list, search and file names show it).', required: true}),
  }

  static description = `Reads the session from the agent's own files, so it needs no export and shows the session as it is now. Looks in every folder unless --workspace is given. Images and files are not printed (a line on stderr counts them): sync writes them beside the export. Subagents and a fork's original are linked to their exports in --output, when they have one.`

  static examples = [
    {command: '<%= config.bin %> show 7f3c2a10 | less', description: 'Read a session as Markdown'},
    {command: '<%= config.bin %> show 7f3c2a10 --no-tools --no-thinking', description: 'Only the conversation'},
    {command: '<%= config.bin %> show 7f3c2a10 -f json | jq .messages[0]', description: 'As JSON, for a script'},
  ]

  static flags = {
    agent: selectionFlags.agent,
    format: Flags.string({char: 'f', default: 'markdown', description: 'Format to print: markdown, json, toon (or any installed writer plugin).', helpValue: 'FORMAT'}),
    'max-output-chars': exportFlags['max-output-chars'],
    output: Flags.string({char: 'o', default: DEFAULT_OUTPUT, description: 'Folder of the exports that links to subagents and to a fork\'s original point to.', helpValue: 'DIR'}),
    redact: exportFlags.redact,
    thinking: exportFlags.thinking,
    tools: exportFlags.tools,
    verbose: selectionFlags.verbose,
    workspace: Flags.string({char: 'w', description: 'Only sessions whose working directory is this folder or inside it. Default: every folder.', helpValue: 'PATH'}),
  }

  static summary = 'Print one session, read from the agent, to standard output.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Show)
    const options = await this.pipelineOptions({...flags, session: [args.id], subagents: true, workspace: flags.workspace ?? '/'})
    const log = consoleLog(flags.verbose)
    const output = new OutputFolder(options.output)
    const state = await ExportState.load(output)
    const plans = await planExports(options, state, output, log)
    const named = plans.flatMap((plan) => plan.sessions.filter(({ref}) => isNamedBy(ref, args.id)).map((planned) => ({plan, planned})))
    if (named.length === 0) this.error(`no session has the id ${args.id}${flags.workspace ? ` in ${flags.workspace}` : ''} (sessionsync list -w / shows them all)`, {exit: 1})
    if (named.length > 1) {
      const which = named.map(({planned: {ref}}) => `  ${ref.agent} ${shortId(ref.id)}  ${printable(ref.title ?? '(untitled)')}`)
      this.error(`${args.id} is the start of the ids of ${named.length} sessions; give more of it:\n${which.join('\n')}`, {exit: 2})
    }

    const [{plan, planned}] = named
    const read = await readChecked(plan.reader, planned.ref, plan.ctx)
    if ('error' in read) this.error(`${plan.reader.displayName}: session ${planned.ref.id} (${planned.ref.sourcePath}) could not be read: ${read.error}`, {exit: 1})
    const attachments = read.session.messages.reduce((sum, message) => sum + message.blocks.filter((block) => block.type === 'attachment').length, 0)
    const shaped = shapeContent(withTitle(read.session), {...options, attachments: false})
    const session = options.redact ? redactSession(shaped).session : shaped
    // Subagents and a fork's original, wherever the state file says they were exported.
    const exported = state.files(options.writer.format)
    const linkToSession = (id: string) => {
      const file = exported.get(sessionKey({agent: session.agent, id}))
      return file && existsSync(output.resolve(file)) ? fromCurrentFolder(output.resolve(file)) : null
    }

    const pieces = renderedPieces(options.writer, session, renderContext(linkToSession))
    // On a terminal, a session's control characters must not drive it; into a pipe or file, the text is exact.
    await print(process.stdout.isTTY ? mapped(pieces, (piece) => printable(piece, {lines: true})) : pieces)
    if (attachments > 0) log.info(`${countOf(attachments, 'image or file', 'images or files')} not printed: sessionsync sync writes them beside the export.`)
  }
}

/** Waits whenever the pipe is full, so a large session printed into a pager is not held whole in memory. */
async function print(pieces: Iterable<string>): Promise<void> {
  // A reader that went away (`| head`) is no error: there is simply no one left to print for.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  for (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain')
}

function* mapped(pieces: Iterable<string>, change: (piece: string) => string): Iterable<string> {
  for (const piece of pieces) yield change(piece)
}
