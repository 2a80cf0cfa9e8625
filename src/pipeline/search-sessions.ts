import {fromCurrentFolder} from '../display-path.js'
import {lastActive} from '../last-active.js'
import type {FoundSession, SearchFindings, SessionMatches} from '../model/search-result.js'
import type {Session} from '../model/session.js'
import {readChecked} from './export-session.js'
import {sessionKey} from './layout.js'
import type {OutputFolder} from './output-folder.js'
import type {AgentPlan, Log, PlannedSession} from './plan.js'
import {type ArchivedSession, readArchived} from './archived.js'
import {filePieces} from './file-cursor.js'
import {redactedPieces} from './redact/pieces.js'
import {searchLines, searchShaped, type ShapedSearch} from './search.js'

export interface SearchOptions extends ShapedSearch {
  /** Stop after this many matching sessions; null: search them all. */
  limit: number | null
}

/** A session to search, whether the agent still has it or only its export is left. */
interface Candidate {
  key: string
  lastActive: string
  search(): Promise<FoundSession | null>
}

/**
 * Searches the planned sessions one at a time, and the exports of `archived` ones, the most
 * recently active first, and keeps those that match with where they match. `output` holds the
 * exports.
 */
export async function searchPlans(plans: readonly AgentPlan[], archived: readonly ArchivedSession[], pattern: RegExp | null, options: SearchOptions, output: OutputFolder, log: Log): Promise<SearchFindings> {
  const result: SearchFindings = {searched: 0, sessions: []}
  const candidates: Candidate[] = []
  const keys = new Set<string>()
  // A fork's copies of its original's messages are found in the original, when it is searched too.
  const copiesToSkip = (session: Session) => (session.forkedFrom !== null && keys.has(sessionKey({agent: session.agent, id: session.forkedFrom})) ? (session.copiedMessages ?? 0) : 0)
  for (const plan of plans) {
    for (const planned of plan.sessions) {
      const exported = planned.status === 'missing' ? null : fromCurrentFolder(output.resolve(planned.file))
      candidates.push({key: sessionKey(planned.ref), lastActive: lastActive(planned.ref), search: () => searchSource(plan, planned, pattern, options, exported, copiesToSkip, log)})
    }
  }

  for (const session of archived) {
    const {facts} = session
    const exported = fromCurrentFolder(output.resolve(session.file))
    candidates.push({
      key: sessionKey(facts),
      lastActive: lastActive(facts),
      async search() {
        const aboutExport = (what: string) => log.warn(`${facts.agent} session ${facts.id}: its export ${exported} ${what}`)
        const found = searchExport(session, pattern, options, copiesToSkip, output, {
          notADocument: (why, searched) => aboutExport(`${why}: ${searched ? 'searched line by line' : 'not searched, as only a document says which call a line belongs to'}`),
          unreadable: (why) => aboutExport(`could not be searched: ${why}`),
        })
        return found && {agent: facts.agent, createdAt: facts.createdAt, export: exported, fromExport: true, id: facts.id, otherMachine: session.elsewhere, title: facts.title, updatedAt: facts.updatedAt, workspace: facts.workspace, ...found}
      },
    })
  }

  for (const candidate of candidates) keys.add(candidate.key)
  // The most recently active first: a limit then finds the latest.
  candidates.sort((a, b) => b.lastActive.localeCompare(a.lastActive))
  for (const candidate of candidates) {
    if (options.limit !== null && result.sessions.length >= options.limit) break
    log.progress?.(result.searched, candidates.length, 'searched')
    result.searched++
    const found = await candidate.search()
    if (found && found.total > 0) result.sessions.push(found)
  }

  // Done, also when the limit stopped it early: clears the progress line.
  log.progress?.(result.searched, result.searched, 'searched')
  return result
}

async function searchSource(plan: AgentPlan, planned: PlannedSession, pattern: RegExp | null, options: SearchOptions, exported: string | null, copiesToSkip: (session: Session) => number, log: Log): Promise<FoundSession | null> {
  const read = await readChecked(plan.reader, planned.ref, plan.ctx)
  if ('error' in read) {
    log.warn(`${plan.reader.displayName}: session ${planned.ref.id} (${planned.ref.sourcePath}) could not be searched: ${read.error}`)
    return null
  }

  const {found, session} = searchShaped(read.session, pattern, options, copiesToSkip)
  const {agent, createdAt, id, title, updatedAt, workspace} = session
  return {agent, createdAt, export: exported, fromExport: false, id, otherMachine: false, title, updatedAt, workspace, ...found}
}

/** What is told of an export that is not searched as a session. */
interface ExportNotices {
  /** A JSON or TOON export that is not a document this version reads: why, and whether its lines were searched. */
  notADocument(why: string, searched: boolean): void
  /** The file could not be read: why. */
  unreadable(why: string): void
}

/**
 * Searches an archived session's export; null when it cannot be read. A JSON or TOON export gives
 * the places as a session does; in any other, or in one that is not a document this version reads,
 * each matching line is a place, and the options that leave content out cannot apply, nor can
 * `--tool`: a line does not say whose call it is part of.
 */
function searchExport(archived: ArchivedSession, pattern: RegExp | null, options: ShapedSearch, copiesToSkip: (session: Session) => number, output: OutputFolder, {notADocument, unreadable}: ExportNotices): SessionMatches | null {
  const read = readArchived(archived, output)
  if ('session' in read) return searchShaped(read.session, pattern, options, copiesToSkip).found
  const byLines = pattern !== null && !options.onlyTools
  if (read.unread !== null) notADocument(read.unread, byLines)
  if (!byLines) return null
  // A piece at a time: an export may be longer than a string can be.
  const pieces = filePieces(read.textFile)
  try {
    return searchLines(options.redact ? redactedPieces(pieces) : pieces, pattern, options.shown)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error
    unreadable(unreadableBecause(error))
    return null
  }
}

/** Why a file system call could not read an export, in words. */
function unreadableBecause(error: unknown): string {
  const {code, message} = error as NodeJS.ErrnoException
  return code === 'ENOENT' ? 'it was deleted' : code === 'EISDIR' ? 'a folder stands in its place' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : message
}
