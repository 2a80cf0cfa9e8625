import {expect} from 'chai'
import os from 'node:os'
import path from 'node:path'
import type {SessionRef} from '../../src/model/ref.js'
import type {FilterOptions} from '../../src/pipeline/filter.js'
import {noSessionHint} from '../../src/pipeline/no-session-hint.js'

const HOME = os.homedir()
const APP = path.join(HOME, 'code', 'app')
const LIB = path.join(HOME, 'code', 'lib')

let ids = 0
const ref = (workspace: string | null, updatedAt: string, more: Partial<SessionRef> = {}): SessionRef => ({
  agent: 'claude', createdAt: updatedAt, fingerprint: '1:1', gitBranches: ['main'], id: `session-${++ids}`, parentId: null, sizeBytes: 1, sourcePath: '/history/x.jsonl', title: null, updatedAt, workspace, ...more,
})

/** Every folder is there. */
const there = () => true

const options = (workspace: string, more: Partial<FilterOptions> = {}): FilterOptions => ({branch: null, sessions: null, since: null, subagents: true, workspaces: [workspace], ...more})

describe('the hint for a run that found no session', () => {
  const everywhere = [
    ref(LIB, '2026-11-20T10:00:00.000Z', {agent: 'opencode'}),
    ref(APP, '2026-11-02T10:00:00.000Z'),
    ref(APP, '2026-11-01T10:00:00.000Z', {agent: 'pi'}),
    ref('/srv/tools', '2026-11-28T10:00:00.000Z'),
    // Subagents and sessions without a folder are not folders to suggest.
    ref('/srv/elsewhere', '2026-11-29T10:00:00.000Z', {parentId: 'session-1'}),
    ref(null, '2026-11-29T10:00:00.000Z'),
  ]

  it('names the folders that have sessions, the one holding the workspace first, then the most recently active', () => {
    const hint = noSessionHint(everywhere, options(path.join(APP, 'src')), there)!
    const lines = hint.split('\n')
    expect(lines[0]).to.equal(`No session found in ${path.join(APP, 'src')}. The agents recorded sessions in these folders:`)
    expect(lines[1]).to.match(/^ {2}~\/code\/app +2 sessions \(claude, pi\), last active 2026-11-02 \(holds this folder\)$/)
    expect(lines[2]).to.match(/^ {2}\/srv\/tools +1 session \(claude\), last active 2026-11-28$/)
    expect(lines[3]).to.match(/^ {2}~\/code\/lib +1 session \(opencode\), last active 2026-11-20$/)
    expect(lines.at(-1)).to.equal('Name one with --workspace (-w), or use -w / for every folder.')
    expect(hint).not.to.contain('/srv/elsewhere')
  })

  it('shows the nearest of several folders holding the workspace first, and counts the folders it leaves out', () => {
    const many = [ref(HOME, '2026-11-29T00:00:00.000Z'), ref(APP, '2026-11-01T00:00:00.000Z'), ...['a', 'b', 'c', 'd', 'e'].map((name) => ref(`/srv/${name}`, '2026-11-10T00:00:00.000Z'))]
    const lines = noSessionHint(many, options(path.join(APP, 'src')), there)!.split('\n')
    expect(lines[1]).to.match(/^ {2}~\/code\/app .*\(holds this folder\)$/)
    expect(lines[2]).to.match(/^ {2}~ .*\(holds this folder\)$/)
    expect(lines).to.have.length(1 + 5 + 2)
    expect(lines.at(-2)).to.equal('  and 2 other folders')
  })

  it('says the workspace does not exist, with or without sessions elsewhere', () => {
    const typo = path.join(HOME, 'code', 'ap')
    expect(noSessionHint(everywhere, options(typo), (folder) => folder !== typo)).to.match(new RegExp(`^No session found: the workspace ${typo} does not exist \\(is --workspace right\\?\\) The agents recorded`))
    expect(noSessionHint([], options(typo), (folder) => folder !== typo)).to.equal(`No session found: the workspace ${typo} does not exist (is --workspace right?)`)
  })

  it('marks the folders that are gone, and says one may be this project before it moved', () => {
    const moved = path.join(HOME, 'code', 'moved-here')
    const lines = noSessionHint(everywhere, options(moved), (folder) => folder !== LIB)!.split('\n')
    expect(lines[2]).to.match(/^ {2}~\/code\/lib +1 session \(opencode\), last active 2026-11-20 \(gone\)$/)
    expect(lines[3]).to.match(/^ {2}~\/code\/app +2 sessions \(claude, pi\), last active 2026-11-02$/)
    expect(lines.at(-1)).to.equal('A folder marked gone may be where this project was before it moved: named with -w, its sessions are exported here.')
    // Nothing is gone: no such line.
    expect(noSessionHint(everywhere, options(moved), there)).to.not.contain('gone')
  })

  it('says nothing when no agent has a session anywhere, the summary already says so', () => {
    expect(noSessionHint([], options(APP), there)).to.equal(null)
  })

  it('says which other filters left out the workspace\'s sessions', () => {
    expect(noSessionHint(everywhere, options(APP, {branch: 'release'}), there)).to.equal(`No session of ${APP} matched --branch release: it has 2 sessions in all.`)
    expect(noSessionHint(everywhere, options(APP, {sessions: ['deadbeef'], since: '2026-11-25T00:00:00.000Z'}), there)).to.equal(`No session of ${APP} matched --since and --session deadbeef: it has 2 sessions in all.`)
  })

  it('has nothing to add for a run over every folder', () => {
    expect(noSessionHint(everywhere, {...options(APP), workspaces: null}, there)).to.equal(null)
  })
})
