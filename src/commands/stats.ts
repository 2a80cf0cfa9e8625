import {exportFlags, selectionFlags} from '../flags.js'
import {planAgainstOutput} from '../pipeline/plan.js'
import {measureCosts, type SessionCost} from '../pipeline/stats.js'
import {LEAN_VARIANT, TEXT_VARIANT} from '../pipeline/stats-variants.js'
import {PipelineCommand} from '../pipeline-command.js'
import {printable} from '../printable.js'
import {loadRegistry} from '../registry.js'
import {consoleLog} from '../sync-log.js'
import {formatTable} from '../table.js'
import {shortId} from '../pipeline/names.js'

export interface StatsResult {
  /** Formats measured, `markdown-lean` being Markdown with --no-tools --no-thinking, `text` the strings alone. */
  formats: string[]
  sessions: SessionCost[]
  total: Record<string, {bytes: number; tokens: number}>
}

export default class Stats extends PipelineCommand {
  static description = `Renders every selected session in every installed format (without writing anything) and counts bytes and tokens (o200k_base, the tokenizer of current OpenAI models; other models count within a few percent). "markdown-lean" is Markdown with --no-tools --no-thinking: the leanest readable form to hand an agent. "text" counts the session's strings alone (ids and times included), without any structure: about the least a format that keeps every field, as JSON and TOON do, can cost. Reads whole sessions, so it takes longer than list.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> stats', description: 'What each format of this folder\'s sessions costs an agent'},
    {command: '<%= config.bin %> stats -a claude --no-tools --json', description: 'Claude Code sessions without tool traffic, as JSON'},
  ]

  static flags = {
    ...selectionFlags,
    'no-attachments': exportFlags['no-attachments'],
    'max-output-chars': exportFlags['max-output-chars'],
    'no-thinking': exportFlags['no-thinking'],
    'no-tools': exportFlags['no-tools'],
  }

  static strict = false

  static summary = 'Show what each export format costs in tokens (and bytes, with --json), per session and in total.'

  async run(): Promise<StatsResult> {
    const {argv, flags} = await this.parse(Stats)
    this.refuseArguments(argv)
    const options = await this.pipelineOptions({...flags, format: 'markdown'})
    const writers = [...(await loadRegistry(this.config)).writers.values()].sort((a, b) => a.format.localeCompare(b.format))
    const log = consoleLog(flags.verbose)
    const {plans} = await planAgainstOutput(options, log)
    const sessions = await measureCosts(plans, writers, options, log)
    const formats = [...writers.map((writer) => writer.format), ...(writers.some((writer) => writer.format === 'markdown') ? [LEAN_VARIANT] : []), TEXT_VARIANT]
    const total = Object.fromEntries(formats.map((format) => [format, sum(sessions, format)]))
    if (!this.jsonEnabled()) this.log(render(sessions, formats, total))
    return {formats, sessions, total}
  }
}

function sum(sessions: SessionCost[], format: string): {bytes: number; tokens: number} {
  return sessions.reduce((acc, session) => ({bytes: acc.bytes + (session.formats[format]?.bytes ?? 0), tokens: acc.tokens + (session.formats[format]?.tokens ?? 0)}), {bytes: 0, tokens: 0})
}

function render(sessions: SessionCost[], formats: string[], total: StatsResult['total']): string {
  if (sessions.length === 0) return 'No sessions found for these filters.'
  const cells = (costs: Record<string, {tokens: number}>) => formats.map((format) => (costs[format] ? costs[format].tokens.toLocaleString('en-US') : '-'))
  const rows = sessions.map((session) => [session.agent, shortId(session.id), printable(session.title.slice(0, 40)), ...cells(session.formats)])
  rows.push(['total', '', `${sessions.length} sessions`, ...cells(total)])
  const json = total.json?.tokens
  const ratios = json ? formats.filter((format) => format !== 'json').map((format) => `${format} ${Math.round((100 * total[format].tokens) / json)}%`) : []
  return formatTable(['AGENT', 'ID', 'TITLE', ...formats.map((format) => `${format.toUpperCase()} TOKENS`)], rows) + (ratios.length > 0 ? `\n\nTokens relative to JSON: ${ratios.join(', ')}` : '')
}
