import {countOf} from './count.js'
import type {AgentReport, SyncReport} from './pipeline/sync.js'

/** The end-of-run summary: per agent, sessions found, written, up to date and failed. */
export function formatSummary(report: SyncReport, output: string, format: string): string {
  const width = Math.max(...report.agents.map((agent) => agent.displayName.length), 0)
  const lines = report.agents.map((agent) => `  ${agent.displayName.padEnd(width)}  ${describe(agent)}`)
  return [`${format} export in ${output}:`, ...lines].join('\n')
}

function describe(agent: AgentReport): string {
  if (!agent.installed) return 'not installed (no data found), skipped'
  const parts = [`${agent.found} found`, `${agent.written} written`, `${agent.upToDate} up to date`]
  if (agent.failed > 0) parts.push(`${agent.failed} failed`)
  if (agent.redacted > 0) parts.push(`${countOf(agent.redacted, 'secret')} redacted`)
  if (agent.warnings > 0) parts.push(countOf(agent.warnings, 'warning'))
  return parts.join(', ')
}
