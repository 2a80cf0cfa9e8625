import {once} from 'node:events'
import {createReadStream, existsSync} from 'node:fs'
import {Args} from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import {countOf} from '../count.js'
import {BRANCH_MARK} from '../kit/left-branch.js'
import {fromCurrentFolder} from '../display-path.js'
import type {Session} from '../model/session.js'
import {DEFAULT_OUTPUT, exportFlags, selectionFlags} from '../flags.js'
import {type ArchivedSession, archivedSessions, formatsToRead, readArchived} from '../pipeline/archived.js'
import {readChecked} from '../pipeline/export-session.js'
import {filePieces} from '../pipeline/file-cursor.js'
import {redactedPieces} from '../pipeline/redact/pieces.js'
import {isNamedBy} from '../pipeline/filter.js'
import {sessionKey} from '../pipeline/layout.js'
import {shortId} from '../pipeline/names.js'
import type {OutputFolder} from '../pipeline/output-folder.js'
import {type AgentPlan, type Log, planAgainstOutput, type PlannedSession} from '../pipeline/plan.js'
import {countsOf} from '../pipeline/facts.js'
import {renderContext, renderedPieces} from '../pipeline/rendering.js'
import {attachmentsLeftOut, prepareSession, shapedAgain, shapingOf} from '../pipeline/transform.js'
import {PipelineCommand} from '../pipeline-command.js'
import {printable} from '../printable.js'
import {readableFile} from '../readable-file.js'
import {consoleLog} from '../sync-log.js'

export default class Show extends PipelineCommand {
  static args = {
    id: Args.string({description: 'The session: its id, the start of it, or its short id (as list, search and file names show it).', required: true}),
  }

  static description = `Reads the session from the agent's own files, so it needs no export and shows the session as it is now. Looks in every folder unless --workspace is given. Images and files are not printed (a line on stderr counts them): sync writes them beside the export. Subagents and a fork's original are linked to their exports in --output, when they have one. A session the agent no longer has (Claude Code deletes them after 30 days) is printed from its export in --output: from a JSON or TOON export, shaped and in the format asked for; from another, or from one that does not read as a session document (stderr says why), as it was written.`

  static examples = [
    {command: '<%= config.bin %> show 7f3c2a10 | less', description: 'Read a session as Markdown'},
    {command: '<%= config.bin %> show 7f3c2a10 --no-tools --no-thinking', description: 'Only the conversation'},
    {command: '<%= config.bin %> show 7f3c2a10 -f json | jq .messages[0]', description: 'As JSON, for a script'},
  ]

  static flags = {
    agent: selectionFlags.agent,
    'all-branches': Flags.boolean({description: 'Also look among the branches a session left behind (see sync --all-branches); an id with .branch- in it turns this on.'}),
    format: Flags.string({char: 'f', default: 'markdown', description: 'Format to print: markdown, json, toon (or any installed writer plugin).', helpValue: 'FORMAT'}),
    'max-output-chars': exportFlags['max-output-chars'],
    output: Flags.string({char: 'o', default: DEFAULT_OUTPUT, description: 'Folder of the exports: those of sessions the agent no longer has, and those links point to.', helpValue: 'DIR'}),
    redact: exportFlags.redact,
    'no-thinking': exportFlags['no-thinking'],
    'no-tools': exportFlags['no-tools'],
    verbose: selectionFlags.verbose,
    workspace: Flags.string({char: 'w', description: 'Only sessions whose working directory is this folder or inside it. Default: every folder.', helpValue: 'PATH'}),
  }

  static summary = 'Print one session, read from the agent, to standard output.'

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Show)
    const branch = flags['all-branches'] || args.id.includes(BRANCH_MARK)
    const options = await this.pipelineOptions({...flags, 'all-branches': branch, session: [args.id], workspace: flags.workspace ?? '/'})
    const log = consoleLog(flags.verbose)
    // The id is an argument, not --session: when it names nothing, the error below says so, once.
    const {output, plans, state} = await planAgainstOutput({...options, explainNothingFound: false}, log)
    const fromAgents = plans.flatMap((plan) => plan.sessions.filter(({ref}) => isNamedBy(ref, args.id)).map((planned) => ({plan, planned})))
    // A session the agent no longer has is shown from its export.
    const fromExports = archivedSessions(state, plans, options, formatsToRead(options.writer.format)).filter(({facts}) => isNamedBy(facts, args.id))
    const candidates = [...fromAgents.map(({planned: {ref}}) => ref), ...fromExports.map(({facts}) => facts)]
    if (candidates.length === 0) {
      const agents = flags.agent === 'all' ? '' : `${flags.agent} `
      const hint = `sessionsync list -w /${agents ? ` -a ${flags.agent}` : ''} shows them all`
      this.error(`no ${agents}session has the id ${args.id}${flags.workspace ? ` in ${flags.workspace}` : ''} (${hint})`, {exit: 1})
    }
    if (candidates.length > 1) {
      const which = candidates.map((session) => `  ${session.agent} ${shortId(session.id)}  ${printable(session.title ?? '(untitled)')}`)
      this.error(`${args.id} is the start of the ids of ${candidates.length} sessions; give more of it:\n${which.join('\n')}`, {exit: 2})
    }

    const read = fromAgents.length === 1 ? await this.readFromAgent(fromAgents[0]) : this.readFromExport(fromExports[0], output, log, options.redact)
    if ('textFile' in read) {
      await print(exportAsWritten(read.textFile, options.redact))
      return
    }

    const attachments = read.session.messages.reduce((sum, message) => sum + message.blocks.filter((block) => block.type === 'attachment').length, 0)
    // A terminal gets no images: left out, and the front matter says so when the session has any.
    const {session} = prepareSession(read.session, {...options, attachments: false})
    // Subagents and a fork's original, wherever the state file says they were exported.
    const exported = state.files(options.writer.format)
    const linkToSession = (id: string) => {
      const file = exported.get(sessionKey({agent: session.agent, id}))
      return file && existsSync(output.resolve(file)) ? fromCurrentFolder(output.resolve(file)) : null
    }

    // An export's own counts: one made without its tools still knows how many calls there were; and it says what it left out.
    const counts = read.counts ?? countsOf(read.session)
    const shaping = shapedAgain(shapingOf({...options, attachments: options.attachments && attachments === 0}), read.shaping)
    await print(forTerminal(renderedPieces(options.writer, session, renderContext(linkToSession, counts, shaping, attachmentsLeftOut(read.session, {attachments: false})))))
    if (attachments > 0) log.info(`${countOf(attachments, 'image or file', 'images or files')} not printed: sessionsync sync writes them beside the export.`)
  }

  private async readFromAgent({plan, planned}: {plan: AgentPlan; planned: PlannedSession}): Promise<{counts: null; session: Session; shaping: null}> {
    const read = await readChecked(plan.reader, planned.ref, plan.ctx)
    if ('error' in read) this.error(`${plan.reader.displayName}: session ${planned.ref.id} (${planned.ref.sourcePath}) could not be read: ${read.error}`, {exit: 1})
    return {counts: null, session: read.session, shaping: null}
  }

  /** From its JSON export, a session to shape and render as any other; from another export, its text as it is. */
  private readFromExport(archived: ArchivedSession, output: OutputFolder, log: Log, redact: boolean): ReturnType<typeof readArchived> {
    const read = readArchived(archived, output)
    const file = fromCurrentFolder(output.resolve(archived.file))
    const why = archived.elsewhere ? 'Another machine exported this session' : 'The agent no longer has this session'
    // Said before anything is printed: the export may have been deleted since, or something else put in its place.
    if ('textFile' in read && !readableFile(read.textFile)) this.error(`${why}, and its export ${file} cannot be read`, {exit: 1})
    const asWritten = `as it was written${redact ? ', its secrets replaced' : ''}`
    if (!('textFile' in read)) log.info(`${why}: it is read from its export ${file}.`)
    else if (read.unread === null) log.info(`${why}: this is its ${archived.format} export, ${file}, ${asWritten}.`)
    else log.info(`${why}, and its ${archived.format} export ${file} ${read.unread}: here it is ${asWritten}.`)
    return read
  }
}

/**
 * A text export to print: into a pipe or a file, its bytes as they are, unread as text; as lines
 * when its secrets are to be replaced, or its control characters kept from a terminal.
 */
function exportAsWritten(file: string, redact: boolean): AsyncIterable<Buffer> | Iterable<string> {
  if (!redact && !process.stdout.isTTY) return createReadStream(file, {highWaterMark: 1024 * 1024})
  const pieces = filePieces(file)
  return forTerminal(redact ? redactedPieces(pieces) : pieces)
}

/** On a terminal, a session's control characters must not drive it; into a pipe or file, the text is exact. */
function forTerminal(pieces: Iterable<string>): Iterable<string> {
  return process.stdout.isTTY ? mapped(pieces, (piece) => printable(piece, {lines: true})) : pieces
}

/** Waits whenever the pipe is full, so a large session printed into a pager is not held whole in memory. */
async function print(pieces: Iterable<string> | AsyncIterable<Buffer>): Promise<void> {
  // A reader that went away (`| head`) is no error: there is simply no one left to print for.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
  for await (const piece of pieces) if (!process.stdout.write(piece)) await once(process.stdout, 'drain')
}

function* mapped(pieces: Iterable<string>, change: (piece: string) => string): Iterable<string> {
  for (const piece of pieces) yield change(piece)
}
