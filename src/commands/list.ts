import * as Flags from '@oclif/core/flags'
import {countOf} from '../count.js'
import {homeShortened} from '../display-path.js'
import {exportFlags, selectionFlags} from '../flags.js'
import {lastActive} from '../last-active.js'
import type {ListedSession, ListResult} from '../model/list-result.js'
import {sessionKey} from '../pipeline/layout.js'
import {type AgentPlan, planAgainstOutput} from '../pipeline/plan.js'
import {archivedSessions, formatsToRead} from '../pipeline/archived.js'
import type {ExportState} from '../pipeline/state.js'
import {PipelineCommand} from '../pipeline-command.js'
import {formatBytes, formatTable} from '../table.js'
import {printable} from '../printable.js'
import {consoleLog} from '../sync-log.js'
import {expiringSoon} from '../pipeline/expiry.js'
import {shortId} from '../pipeline/names.js'

export default class List extends PipelineCommand {
  static description = `Reads only what discovery needs (no whole sessions), so it answers fast on large histories. The status column compares with the exports in --output for --format: "up to date", "stale" (the session changed since), "missing", "source gone" (the agent deleted the session since; its export is kept, and listed), or "other machine" (exported into this folder on another machine, as a folder shared through git is). Sessions the agent will delete within a week (Claude Code's cleanupPeriodDays) and that are not exported yet are marked.`

  static enableJsonFlag = true

  static examples = [
    {command: '<%= config.bin %> list', description: 'Sessions of the current folder and the state of their exports'},
    {command: '<%= config.bin %> list -a claude -w / --json', description: 'Every Claude Code session, as JSON for scripts'},
  ]

  // The options that shape an export decide whether it is up to date: list takes them as sync does.
  static flags = {
    ...selectionFlags,
    format: exportFlags.format,
    output: exportFlags.output,
    'all-branches': exportFlags['all-branches'],
    'no-attachments': exportFlags['no-attachments'],
    'max-output-chars': exportFlags['max-output-chars'],
    redact: exportFlags.redact,
    'no-thinking': exportFlags['no-thinking'],
    'no-tools': exportFlags['no-tools'],
    limit: Flags.integer({description: 'Show at most this many sessions (newest first).', helpValue: 'N', min: 1}),
  }

  static strict = false

  static summary = 'List the sessions sync would export, and whether their exports are up to date.'

  async run(): Promise<ListResult> {
    const {argv, flags} = await this.parse(List)
    this.refuseArguments(argv)
    const options = await this.pipelineOptions(flags)
    const {plans, state} = await planAgainstOutput(options, consoleLog(flags.verbose))
    const fromAgents = plans
      .flatMap((plan) => plan.sessions)
      .map(({file, ref, status}): ListedSession => {
        const facts = status === 'up to date' ? state.session(sessionKey(ref))?.facts : undefined
        return {
          agent: ref.agent,
          branch: ref.gitBranches.at(-1) ?? null,
          createdAt: ref.createdAt,
          expiresAt: ref.expiresAt ?? null,
          file,
          id: ref.id,
          messages: facts?.messages ?? null,
          parentId: ref.parentId,
          sizeBytes: ref.sizeBytes,
          status,
          title: facts?.title ?? ref.title,
          updatedAt: ref.updatedAt,
          workspace: ref.workspace,
        }
      })
    // The archive: what sessionsync exported of sessions the agent has deleted since.
    // The export of the format asked for first, as for the sessions the agent still has.
    const fromExports = archivedSessions(state, plans, options, formatsToRead(options.writer.format).reverse()).map(({elsewhere, facts, file}): ListedSession => {
      const {agent, branch, createdAt, id, messages, parentId, title, updatedAt, workspace} = facts
      return {agent, branch, createdAt, expiresAt: null, file, id, messages, parentId, sizeBytes: null, status: elsewhere ? 'other machine' : 'source gone', title, updatedAt, workspace}
    })
    const sessions = [...fromAgents, ...fromExports].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '')).slice(0, flags.limit)
    const result: ListResult = {
      agents: plans.map((plan) => ({agent: plan.reader.agent, installed: plan.installed})),
      format: options.writer.format,
      output: flags.output,
      sessions,
    }
    if (!this.jsonEnabled()) this.log(render(result) + otherFormatsNote(exportedOtherwise(plans, state, options.writer.format), result))
    // As sync does: a reader that could not list its sessions leaves the list short. The list is still printed.
    if (plans.some((plan) => plan.error !== null)) process.exitCode = 1
    return result
  }
}

/**
 * For each other format, how many of the sessions missing in `format` are exported in it: a folder
 * exported with `-f json` lists every session as missing in the default, Markdown.
 */
function exportedOtherwise(plans: readonly AgentPlan[], state: ExportState, format: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const {ref, status} of plans.flatMap((plan) => plan.sessions)) {
    if (status !== 'missing') continue
    for (const other of Object.keys(state.session(sessionKey(ref))?.exports ?? {})) if (other !== format) counts.set(other, (counts.get(other) ?? 0) + 1)
  }

  return counts
}

function otherFormatsNote(counts: ReadonlyMap<string, number>, result: ListResult): string {
  if (counts.size === 0) return ''
  const [format, count] = [...counts].sort((a, b) => b[1] - a[1])[0]
  const others = [...counts].filter(([other]) => other !== format).map(([other, otherCount]) => `${otherCount} as ${other}`)
  const also = others.length > 0 ? ` (and ${others.join(', ')})` : ''
  return `\n\n${countOf(count, 'session')} missing in ${result.format} ${count === 1 ? 'is' : 'are'} exported in ${result.output} as ${format}${also}: sessionsync list -f ${format} compares with those exports.`
}

function render(result: ListResult): string {
  if (result.sessions.length === 0) return 'No sessions found for these filters.'
  const now = Date.now()
  // As in INDEX.md: the folder only tells sessions apart when they have several (-w /).
  const showFolder = new Set(result.sessions.map((session) => session.workspace)).size > 1
  const rows = result.sessions.map((session) => [
    session.agent,
    shortId(session.id),
    lastActive(session).slice(0, 10) || '-',
    ...(showFolder ? [truncateStart(homeShortened(session.workspace), 40)] : []),
    truncate((session.parentId ? '↳ ' : '') + (session.title ?? '(untitled)'), 48),
    printable(session.branch ?? '-'),
    session.messages === null ? '-' : String(session.messages),
    session.sizeBytes === null ? '-' : formatBytes(session.sizeBytes),
    session.status + (session.status !== 'up to date' && expiringSoon(session.expiresAt, now) ? `, deleted by the agent on ${session.expiresAt!.slice(0, 10)}` : ''),
  ])
  const expiring = result.sessions.filter((session) => session.status !== 'up to date' && expiringSoon(session.expiresAt, now)).length
  const note = expiring > 0 ? `\n\n${countOf(expiring, 'session')} will be deleted by the agent within 7 days and ${expiring === 1 ? 'is' : 'are'} not exported: run sessionsync sync.` : ''
  return formatTable(['AGENT', 'ID', 'DATE', ...(showFolder ? ['FOLDER'] : []), 'TITLE', 'BRANCH', 'MSGS', 'SIZE', 'EXPORT'], rows) + note
}

function truncate(text: string, max: number): string {
  const chars = [...printable(text.replaceAll(/\s+/g, ' '))]
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : chars.join('')
}

/** A path's end is what tells projects apart. */
function truncateStart(text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? '…' + chars.slice(-(max - 1)).join('') : text
}
