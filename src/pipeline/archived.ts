import {EXPORT_SCHEMA_VERSION, exportOf, readsVersion, VERSIONS_READ} from '../model/export-document.js'
import type {SessionRef} from '../model/ref.js'
import {sessionOfBranch} from '../kit/left-branch.js'
import {readableFile} from '../readable-file.js'
import {filterRefs, type FilterOptions} from './filter.js'
import {documentVersion} from './document-head.js'
import {DOCUMENT_READERS} from './export-facts.js'
import {sessionKey} from './layout.js'
import type {OutputFolder} from './output-folder.js'
import type {AgentPlan} from './plan.js'
import {exportedHere, type ExportState, type SessionFacts} from './state.js'

/**
 * A session known only from its export: the agent deleted its source (Claude Code does after 30
 * days), or is gone; or another machine exported it into a folder shared with this one.
 */
export interface ArchivedSession {
  facts: SessionFacts
  /** Exported on another machine: its source was never this machine's to have. */
  elsewhere: boolean
  /** Its export, relative to the output folder, and that export's format. */
  file: string
  format: string
}

/** The exports to read an archived session from, best first: those that hold the session whole (JSON, TOON), then that of `format`. */
export function formatsToRead(format: string): string[] {
  return [...DOCUMENT_READERS.keys(), format]
}

/**
 * Whether an agent still has an exported session: a plan's reader discovered it, or it is a branch
 * left in a session that was discovered. Such a branch is in that session's file, and is
 * discovered only with `--all-branches`, or not at all once the user went back to it and it is
 * the session's main thread.
 */
function heldByAgent(key: string, facts: SessionFacts, plans: readonly AgentPlan[]): boolean {
  const discovered = (candidate: string) => plans.some((plan) => plan.discovered.has(candidate))
  if (discovered(key)) return true
  const session = sessionOfBranch(facts.id)
  return session !== null && discovered(sessionKey({agent: facts.agent, id: session}))
}

/**
 * The sessions exported into the output folder that the agents no longer have (see
 * `heldByAgent`), of the agents asked for, that the filters keep, each with one of its exports:
 * of the first of the `preferred` formats it has, else of any. None of an agent whose discovery
 * failed: which sessions it still has is not known.
 */
export function archivedSessions(state: ExportState, plans: readonly AgentPlan[], options: FilterOptions, preferred: readonly string[]): ArchivedSession[] {
  const agents = new Set(plans.filter((plan) => plan.error === null).map((plan) => plan.reader.agent))
  const archived = new Map<string, ArchivedSession>()
  for (const [key, session] of state.all()) {
    const {exports, facts} = session
    if (!agents.has(facts.agent) || heldByAgent(key, facts, plans)) continue
    const chosen = preferred.find((format) => exports[format]) ?? Object.keys(exports)[0]
    if (chosen) archived.set(key, {elsewhere: !exportedHere(session), facts, file: exports[chosen].file, format: chosen})
  }

  return filterRefs([...archived.values()].map(({facts}) => refOf(facts)), options).map((ref) => archived.get(sessionKey(ref))!)
}

/**
 * Records in the state which exported sessions the agents no longer have, and which they have
 * again. Only after a discovery without a problem: a database locked for a moment, or a folder
 * that could not be listed, deleted nothing. Nor of sessions another machine exported: whether
 * its agent still has them is not known here.
 */
export function noteSources(state: ExportState, plans: readonly AgentPlan[], options: FilterOptions, now: string): void {
  for (const plan of plans) {
    if (!plan.installed || plan.error !== null || plan.warnings.count > 0) continue
    // Only sessions noted gone can come back: the others are passed over without a look at the plan.
    for (const [key, {facts, sourceGoneAt}] of state.all()) if (sourceGoneAt !== null && facts.agent === plan.reader.agent && heldByAgent(key, facts, [plan])) state.noteSource(key, true, now)
    for (const {elsewhere, facts} of archivedSessions(state, [plan], options, [])) if (!elsewhere) state.noteSource(sessionKey(facts), false, now)
  }
}

/** What filtering needs of a session, from what its last export recorded. */
function refOf(facts: SessionFacts): SessionRef {
  const {agent, createdAt, id, parentId, title, updatedAt, workspace} = facts
  return {agent, createdAt, fingerprint: '', gitBranches: facts.branch === null ? [] : [facts.branch], id, parentId, sizeBytes: 0, sourcePath: '', title, updatedAt, workspace}
}

/**
 * An archived session's export: the session itself from a JSON or TOON export of a version of the
 * document this one reads, with its counts and shaping where it has them (see `exportOf`), else
 * the export's file, to be read as text (which says whether it still can be). `unread` says why a
 * JSON or TOON export that can be read was not read as a session; null for another format.
 */
export function readArchived(archived: ArchivedSession, output: OutputFolder): NonNullable<ReturnType<typeof exportOf>> | {textFile: string; unread: string | null} {
  const file = output.resolve(archived.file)
  const read = DOCUMENT_READERS.get(archived.format)
  if (!read) return {textFile: file, unread: null}
  // A file gone, or a folder in its place, is for the caller to say: it cannot be read at all.
  return exportOf(() => read(file)) ?? {textFile: file, unread: readableFile(file) ? whyNotRead(file) : null}
}

/**
 * Why an export of a format that holds a document is not one this version reads: of a version it
 * does not read, which it gives first, or not a whole document (cut short, or changed since).
 */
function whyNotRead(file: string): string {
  const version = documentVersion(file)
  if (version === null || readsVersion(version)) return 'does not read as a session document (cut short, or changed since it was written)'
  return `is a document of version ${version}, from ${version > EXPORT_SCHEMA_VERSION ? 'a newer' : 'an older'} sessionsync (this one reads versions ${VERSIONS_READ})`
}
