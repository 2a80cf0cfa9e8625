import {fromCurrentFolder} from '../display-path.js'
import {readChecked} from './export-session.js'
import {withTitle} from './facts.js'
import {sessionKey} from './layout.js'
import type {OutputFolder} from './output-folder.js'
import type {AgentPlan, Log, PlannedSession} from './plan.js'
import {redactSession} from './redact/index.js'
import {type SearchMatch, searchSession} from './search.js'
import {type ContentOptions, shapeContent} from './transform.js'

export interface FoundSession {
  agent: string
  id: string
  title: string
  createdAt: string | null
  updatedAt: string | null
  workspace: string | null
  /** The session's export, from the current folder, when there is one (it may be older than the session). */
  export: string | null
  matches: SearchMatch[]
  /** Places that matched, shown or not. */
  total: number
}

export interface SearchFindings {
  /** Sessions read, newest first, until the limit was reached. */
  searched: number
  sessions: FoundSession[]
}

export interface SearchOptions extends Pick<ContentOptions, 'redact' | 'thinking' | 'tools'> {
  /** Stop after this many matching sessions; null: search them all. */
  limit: number | null
}

/**
 * Reads the planned sessions one at a time, the most recently active first, and keeps those
 * that match with where they match. `output` holds the exports to point to.
 */
export async function searchPlans(plans: readonly AgentPlan[], pattern: RegExp, options: SearchOptions, output: OutputFolder, log: Log): Promise<SearchFindings> {
  const result: SearchFindings = {searched: 0, sessions: []}
  const candidates = newestFirst(plans)
  const searched = new Set(candidates.map(({planned}) => sessionKey(planned.ref)))
  for (const {plan, planned} of candidates) {
    if (options.limit !== null && result.sessions.length >= options.limit) break
    log.progress?.(result.searched, candidates.length, 'searched')
    result.searched++
    const read = await readChecked(plan.reader, planned.ref, plan.ctx)
    if ('error' in read) {
      log.warn(`${plan.reader.displayName}: session ${planned.ref.id} (${planned.ref.sourcePath}) could not be searched: ${read.error}`)
      continue
    }

    const shaped = shapeContent(withTitle(read.session), {...options, attachments: true, maxOutputChars: null})
    const session = options.redact ? redactSession(shaped).session : shaped
    // A fork's copies of its original's messages are found in the original, when it is searched too.
    const copiesFound = session.forkedFrom !== null && searched.has(sessionKey({agent: session.agent, id: session.forkedFrom}))
    const found = searchSession(session, pattern, copiesFound ? (session.copiedMessages ?? 0) : 0)
    if (found.total === 0) continue
    const {agent, createdAt, id, title, updatedAt, workspace} = session
    const exported = planned.status === 'missing' ? null : fromCurrentFolder(output.resolve(planned.file))
    result.sessions.push({agent, createdAt, export: exported, id, title, updatedAt, workspace, ...found})
  }

  // Done, also when the limit stopped it early: clears the progress line.
  log.progress?.(result.searched, result.searched, 'searched')
  return result
}

/** Every session of every agent, the most recently active first: a limit then finds the latest. */
function newestFirst(plans: readonly AgentPlan[]): Array<{plan: AgentPlan; planned: PlannedSession}> {
  const lastActive = ({ref}: PlannedSession) => ref.updatedAt ?? ref.createdAt ?? ''
  return plans.flatMap((plan) => plan.sessions.map((planned) => ({plan, planned}))).sort((a, b) => lastActive(b.planned).localeCompare(lastActive(a.planned)))
}
