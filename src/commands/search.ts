import {Args} from '@oclif/core'
import * as Flags from '@oclif/core/flags'
import {countOf} from '../count.js'
import {DEFAULT_OUTPUT, exportFlags, selectionFlags} from '../flags.js'
import {lastActive} from '../last-active.js'
import type {SearchMatch, SearchResult} from '../model/search-result.js'
import {shortId} from '../pipeline/names.js'
import {planAgainstOutput} from '../pipeline/plan.js'
import {compilePattern, highlighter, MATCHES_SHOWN} from '../pipeline/search.js'
import {archivedSessions, formatsToRead} from '../pipeline/archived.js'
import {searchPlans} from '../pipeline/search-sessions.js'
import {PipelineCommand} from '../pipeline-command.js'
import {printable} from '../printable.js'
import {consoleLog} from '../sync-log.js'

export default class Search extends PipelineCommand {
  static args = {
    pattern: Args.string({description: 'Text to look for (or a regular expression, with --regex). Several words without quotes are one text: search flaky upload finds "flaky upload". May be left out with --tool.'}),
  }

  // The words after the first are more of the text, not an error.
  static strict = false

  static description = `Reads the agents' sessions themselves, not the exports, so it finds what is not exported yet; every session whose working directory is the workspace, newest first. Looks in titles, what was said, thinking, tool calls (their input as JSON) and tool outputs; a fork's copies of its original's messages only in the original. Sessions the agent no longer has (Claude Code deletes them after 30 days) are searched in their exports in --output: a JSON or TOON export as a session, any other line by line (as is one that does not read as a session document: stderr says why). Case is ignored unless the pattern has a capital letter or --case-sensitive is given. Shows each matching session with its export file, if it has one, and its first matches with the time of their message (as in the Markdown export's headings). With --tool, only the calls of that tool and their outputs are searched (without a text, each call is a match), in the agents' sessions and in JSON and TOON exports. Exits with 1 when nothing matched.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> search "flaky upload"', description: 'The sessions of this folder that mention it'},
    {command: '<%= config.bin %> search upload.ts -w / --limit 5', description: 'The five latest sessions, of any folder, that touched or named the file'},
    {command: String.raw`<%= config.bin %> search --regex "TODO\(\w+\)" --no-tools --json`, description: 'A regular expression, only in what was said and thought, as JSON'},
    {command: '<%= config.bin %> search "git push" --tool Bash --tool bash', description: 'The shell commands that pushed (Claude Code names its shell tool Bash, OpenCode and Pi bash)'},
    {command: '<%= config.bin %> search --tool WebFetch -w / --limit 10', description: 'The ten latest sessions of any folder that fetched a web page, and their first fetches'},
  ]

  static flags = {
    ...selectionFlags,
    'all-branches': Flags.boolean({description: 'Also search the branches a session left behind (see sync --all-branches).'}),
    'case-sensitive': Flags.boolean({description: 'Match case exactly, even for a pattern in lower case.'}),
    format: Flags.string({char: 'f', default: 'markdown', description: 'Format of the exports to point to.', helpValue: 'FORMAT'}),
    limit: Flags.integer({description: 'Stop after this many matching sessions (newest first).', helpValue: 'N', min: 1}),
    matches: Flags.integer({default: MATCHES_SHOWN, description: 'Matches shown per session, in its order; the others are counted.', helpValue: 'N', min: 1}),
    'no-thinking': Flags.boolean({default: false, description: 'Skip thinking blocks.'}),
    'no-tools': Flags.boolean({default: false, description: 'Skip tool calls and outputs: only what was said and thought.'}),
    output: Flags.string({char: 'o', default: DEFAULT_OUTPUT, description: 'Folder of the exports to point to.', helpValue: 'DIR'}),
    redact: exportFlags.redact,
    regex: Flags.boolean({description: 'The pattern is a regular expression (JavaScript syntax).'}),
    tool: Flags.string({description: 'Only in the calls of this tool and their outputs, its name in any case (Bash, bash). Repeat for more.', helpValue: 'NAME', multiple: true}),
  }

  static summary = 'Find the sessions that mention a text, and where.'

  async run(): Promise<SearchResult> {
    const {argv, flags} = await this.parse(Search)
    const text = argv.join(' ')
    const tools = flags.tool ?? []
    if (tools.length > 0 && flags['no-tools']) this.error('--tool and --no-tools contradict each other: --no-tools leaves every tool call out', {exit: 2})
    let pattern: RegExp | null = null
    try {
      // With --tool, no text asks for every call of the tool.
      if (text !== '' || tools.length === 0) pattern = compilePattern({caseSensitive: flags['case-sensitive'] ? true : null, pattern: text, regex: flags.regex})
    } catch (error) {
      this.error((error as Error).message, {exit: 2})
    }

    const options = await this.pipelineOptions(flags)
    const log = consoleLog(flags.verbose)
    const {output, plans, state} = await planAgainstOutput(options, log)
    // Exports whose source the agent deleted are an archive worth searching too.
    const archived = archivedSessions(state, plans, options, formatsToRead(options.writer.format))
    const onlyTools = tools.length > 0 ? new Set(tools.map((tool) => tool.toLowerCase())) : null
    const result: SearchResult = {pattern: text, tools, ...(await searchPlans(plans, archived, pattern, {...options, limit: flags.limit ?? null, onlyTools, shown: flags.matches}, output, log))}
    // Coloured only for a person at a terminal who did not ask for no colour (NO_COLOR).
    const colour = pattern && process.stdout.isTTY && !process.env.NO_COLOR ? highlighter(pattern) : (snippet: string) => snippet
    if (!this.jsonEnabled()) this.log(render(result, colour))
    // Like grep. Not by this.exit, which would throw before --json printed the result.
    if (result.sessions.length === 0) process.exitCode = 1
    return result
  }
}

/** `colour`: what a snippet looks like on screen, its matches coloured or not. */
function render(result: SearchResult, colour: (snippet: string) => string): string {
  const matched = result.sessions.reduce((sum, session) => sum + session.total, 0)
  const summary = `${countOf(matched, 'match', 'matches')} in ${countOf(result.sessions.length, 'session')} (${result.searched} searched).`
  if (result.sessions.length === 0) return `No ${sought(result)} (${countOf(result.searched, 'session')} searched).`
  const blocks = result.sessions.map((session) => {
    const date = lastActive(session).slice(0, 10) || '-'
    const labels = session.matches.map((match) => matchLabel(match))
    const width = Math.max(...labels.map((label) => label.length))
    return [
      `${session.agent}  ${shortId(session.id)}  ${date}  ${printable(session.title)}  (${countOf(session.total, 'match', 'matches')}${session.fromExport ? `; ${session.otherMachine ? 'exported on another machine' : 'the agent no longer has it'}: found in its export` : ''})`,
      ...(session.export ? [`  ${session.export}`] : []),
      ...session.matches.map((match, at) => `    ${labels[at].padEnd(width)}  ${colour(printable(match.snippet))}`),
      ...(session.total > session.matches.length ? [`    … and ${session.total - session.matches.length} more`] : []),
    ].join('\n')
  })
  return [...blocks, summary].join('\n\n')
}

/** What found nothing: `match for "x"`, `call of Bash`, `match for "x" in calls of Bash or bash`. */
function sought({pattern, tools}: SearchResult): string {
  const named = tools.map((tool) => printable(tool)).join(' or ')
  if (pattern === '') return `call of ${named}`
  return `match for "${printable(pattern)}"${named ? ` in calls of ${named}` : ''}`
}

/** Who and when, as the Markdown export's headings show it: `assistant 10:02:41`, `Bash output 10:02:43`. */
function matchLabel(match: SearchMatch): string {
  const what = match.place === 'title' ? 'title' : match.tool ? `${printable(match.tool)} ${match.place === 'tool call' ? 'call' : 'output'}` : match.place === 'text' ? match.role! : match.place
  const time = match.timestamp?.slice(11, 19)
  return time ? `${what} ${time}` : what
}
