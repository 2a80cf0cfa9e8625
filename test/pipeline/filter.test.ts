import {expect} from 'chai'
import type {SessionRef} from '../../src/model/ref.js'
import {filterRefs, type FilterOptions, idsNamingNothing} from '../../src/pipeline/filter.js'

const ref = (id: string, updatedAt: string | null, parentId: string | null = null): SessionRef => ({
  agent: 'claude', createdAt: updatedAt, fingerprint: '1:1', gitBranches: ['main'], id, parentId, sizeBytes: 1, sourcePath: `/history/${id}.jsonl`, title: id, updatedAt, workspace: '/home/dev/app',
})

const recent = ref('7f3c2a10-0000-4000-8000-000000000001', '2026-11-20T10:00:00.000Z')
const recentAgent = ref('agent-a1b2c3d', '2026-09-01T00:00:00.000Z', recent.id)
const old = ref('0c0ffee0-0000-4000-8000-000000000002', '2026-10-01T10:00:00.000Z')
const oldAgent = ref('agent-e4f5a6b', '2026-11-25T00:00:00.000Z', old.id)
const undated = ref('5e5e5e5e-0000-4000-8000-000000000003', null)
const orphan = ref('agent-0rphan1', '2026-11-22T00:00:00.000Z', 'ffffffff-gone')
const pi = ref('01a21140-e280-737c-8a6c-a47741e5bc9d', '2026-11-25T00:00:00.000Z')
const opencode = ref('ses_4f1e2d3c4b5aFFFFabcdef', '2026-11-26T00:00:00.000Z')
const refs = [recent, recentAgent, old, oldAgent, undated, orphan, pi, opencode]

const kept = (options: Partial<FilterOptions>) => filterRefs(refs, {branch: null, subagents: true, workspaces: null, ...options}).map((session) => session.id)

describe('choosing sessions by id and by time', () => {
  it('keeps a session named by the start of its id, in any case, with its subagents', () => {
    expect(kept({sessions: ['7F3C2A10']})).to.deep.equal([recent.id, recentAgent.id])
    expect(kept({sessions: ['7f3c', '0c0ffee0-0000-4000-8000-000000000002']})).to.deep.equal([recent.id, recentAgent.id, old.id, oldAgent.id])
    expect(kept({sessions: ['7f3c2a10'], subagents: false})).to.deep.equal([recent.id])
  })

  it('knows a session by the short id its file name shows, where that is not the start of its id', () => {
    expect(kept({sessions: ['41E5BC9D']})).to.deep.equal([pi.id])
    expect(kept({sessions: ['4f1e2d3c']})).to.deep.equal([opencode.id])
    expect(kept({sessions: ['e4f5a6b']})).to.deep.equal([oldAgent.id])
  })

  it('keeps a subagent named by id on its own, and nothing for an id that names no session', () => {
    expect(kept({sessions: ['agent-e4f5']})).to.deep.equal([oldAgent.id])
    expect(kept({sessions: ['deadbeef']})).to.deep.equal([])
  })

  it('tells which ids name none of the sessions, by id, start or short id', () => {
    expect(idsNamingNothing(['7F3C', 'deadbeef', '41e5bc9d', 'agent-e4f5', 'ffffffff'], refs)).to.deep.equal(['deadbeef', 'ffffffff'])
    expect(idsNamingNothing(['7f3c'], [])).to.deep.equal(['7f3c'])
  })

  it('keeps sessions last active since the time given, subagents with their parent, and undated ones', () => {
    expect(kept({since: '2026-11-01T00:00:00.000Z'})).to.deep.equal([recent.id, recentAgent.id, undated.id, orphan.id, pi.id, opencode.id])
    expect(kept({since: '2026-11-21T00:00:00.000Z'})).to.deep.equal([undated.id, orphan.id, pi.id, opencode.id])
  })

  it('applies every filter at once', () => {
    expect(kept({sessions: ['7f3c2a10'], since: '2026-11-21T00:00:00.000Z'})).to.deep.equal([])
    expect(kept({branch: 'main', sessions: ['0c0ffee0'], workspaces: ['/home/dev/app']})).to.deep.equal([old.id, oldAgent.id])
    expect(kept({sessions: ['0c0ffee0'], workspaces: ['/home/dev/other']})).to.deep.equal([])
  })
})
