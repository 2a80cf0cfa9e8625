import type {ExportRecord, SessionFacts} from '../../src/pipeline/state.js'

/** What the state records of a Claude Code session exported from /home/dev/app, with `more` changed. */
export function sessionFacts(id: string, more: Partial<SessionFacts> = {}): SessionFacts {
  return {
    agent: 'claude', branch: 'main', copiedMessages: null, createdAt: '2026-11-20T10:00:00.000Z', filesChanged: [], firstPrompt: `Prompt of ${id}`, forkedFrom: null,
    id, messages: 4, parentId: null, summary: null, title: `Title of ${id}`, toolCalls: 1, tools: {Bash: 1}, updatedAt: '2026-11-20T11:00:00.000Z', workspace: '/home/dev/app', ...more,
  }
}

/** The state's record of an export into `file`, with `more` changed. */
export function exportRecord(file: string, more: Partial<ExportRecord> = {}): ExportRecord {
  return {bytes: 2048, exportedAt: '2026-11-20T12:00:00.000Z', file, fingerprint: '1:1', host: null, optionsKey: 'k', source: null, ...more}
}
