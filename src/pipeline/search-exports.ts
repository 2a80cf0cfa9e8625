import {ExportDocumentSchema, fromExportDocument} from '../model/export-document.js'
import type {SessionRef} from '../model/ref.js'
import type {Session} from '../model/session.js'
import {filterRefs, type FilterOptions} from './filter.js'
import {sessionKey} from './layout.js'
import type {OutputFolder} from './output-folder.js'
import type {AgentPlan} from './plan.js'
import {redactValue} from './redact/index.js'
import {MATCHES_SHOWN, type SessionMatches, searchShaped, snippetAround} from './search.js'
import type {ExportState, SessionFacts} from './state.js'
import type {ContentOptions} from './transform.js'

/** A session known only from its export: the agent deleted its source (Claude Code does after 30 days), or is gone. */
export interface ArchivedSession {
  facts: SessionFacts
  /** Its export, relative to the output folder, and that export's format. */
  file: string
  format: string
}

/** The JSON export holds the session whole, so it is searched as one; any other is searched as text. */
const STRUCTURED_FORMAT = 'json'

/**
 * The sessions exported into the output folder that the agents no longer have (none of `plans`
 * holds them), of the agents asked for, that the filters keep, each with the export to search:
 * the JSON one if there is one, else the one of `format`, else any.
 */
export function archivedSessions(state: ExportState, plans: readonly AgentPlan[], options: FilterOptions, format: string): ArchivedSession[] {
  const agents = new Set(plans.map((plan) => plan.reader.agent))
  const present = new Set(plans.flatMap((plan) => plan.sessions.map(({ref}) => sessionKey(ref))))
  const archived = new Map<string, ArchivedSession>()
  for (const [key, {exports, facts}] of state.all()) {
    if (!agents.has(facts.agent) || present.has(key)) continue
    const chosen = exports[STRUCTURED_FORMAT] ? STRUCTURED_FORMAT : exports[format] ? format : Object.keys(exports)[0]
    if (chosen) archived.set(key, {facts, file: exports[chosen].file, format: chosen})
  }

  return filterRefs([...archived.values()].map(({facts}) => refOf(facts)), options).map((ref) => archived.get(sessionKey(ref))!)
}

/** What filtering needs of a session, from what its last export recorded. */
function refOf(facts: SessionFacts): SessionRef {
  const {agent, createdAt, id, parentId, title, updatedAt, workspace} = facts
  return {agent, createdAt, fingerprint: '', gitBranches: facts.branch === null ? [] : [facts.branch], id, parentId, sizeBytes: 0, sourcePath: '', title, updatedAt, workspace}
}

/**
 * Searches an archived session's export; null when it cannot be read (deleted since). A JSON
 * export gives the places as a session does; in any other, each matching line is a place, and
 * the options that leave content out cannot apply.
 */
export async function searchExport(archived: ArchivedSession, pattern: RegExp, options: Pick<ContentOptions, 'redact' | 'thinking' | 'tools'>, copiesToSkip: (session: Session) => number, output: OutputFolder): Promise<SessionMatches | null> {
  const text = await output.read(archived.file)
  if (text === undefined) return null
  const document = archived.format === STRUCTURED_FORMAT ? parsedDocument(text) : null
  if (document) return searchShaped(fromExportDocument(document), pattern, options, copiesToSkip).found

  return searchLines(options.redact ? redactValue(text) : text, pattern)
}

function parsedDocument(text: string) {
  try {
    const parsed = ExportDocumentSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function searchLines(text: string, pattern: RegExp): SessionMatches {
  const result: SessionMatches = {matches: [], total: 0}
  for (const line of text.split('\n')) {
    const found = pattern.exec(line)
    if (!found || found[0].length === 0) continue
    result.total++
    if (result.matches.length < MATCHES_SHOWN) result.matches.push({place: 'export', role: null, snippet: snippetAround(line, found.index, found[0].length), timestamp: null, tool: null})
  }

  return result
}
