import type {SessionState, StateData} from './state.js'

/**
 * The two sides of a state file that git could not merge, as one: every session of either side;
 * of a session on both, each format's latest export, and the facts (and whether its source is
 * gone) of the side that exported it last.
 */
export function mergeStates(ours: StateData, theirs: StateData): StateData {
  const sessions = {...ours.sessions}
  for (const [key, session] of Object.entries(theirs.sessions)) sessions[key] = Object.hasOwn(sessions, key) ? mergeSession(sessions[key], session) : session
  return {sessions, version: ours.version}
}

/** Of a session both sides exported, each format's latest export, and the facts of the side that exported it last. */
export function mergeSession(ours: SessionState, theirs: SessionState): SessionState {
  const exports = {...ours.exports}
  for (const [format, record] of Object.entries(theirs.exports)) if (!Object.hasOwn(exports, format) || record.exportedAt > exports[format].exportedAt) exports[format] = record
  const latest = lastExport(theirs) > lastExport(ours) ? theirs : ours
  return {facts: latest.facts, exports, sourceGoneAt: latest.sourceGoneAt}
}

/** When the session was last exported, in any format: times in UTC (toISOString) compare as text. */
function lastExport(session: SessionState): string {
  return Object.values(session.exports).map(({exportedAt}) => exportedAt).sort().at(-1) ?? ''
}
