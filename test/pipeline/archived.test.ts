import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {archivedSessions, formatsToRead, noteSources} from '../../src/pipeline/archived.js'
import type {FilterOptions} from '../../src/pipeline/filter.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import type {AgentPlan} from '../../src/pipeline/plan.js'
import {HOST_TAG} from '../../src/pipeline/runs.js'
import {ExportState} from '../../src/pipeline/state.js'
import type {Reader} from '../../src/plugin-api.js'
import {tempDir} from '../helpers/cli.js'
import {exportRecord, sessionFacts} from '../helpers/state.js'

const facts = (id: string, workspace: string) => ({
  agent: 'claude', branch: 'main', createdAt: '2026-10-01T00:00:00.000Z', filesChanged: [], firstPrompt: null, id, messages: 2, parentId: null, summary: null, title: id, toolCalls: 0, updatedAt: '2026-10-01T00:00:00.000Z', workspace,
})
const exported = (file: string) => ({bytes: 10, exportedAt: '2026-10-01T00:00:00.000Z', file, fingerprint: '1:1', optionsKey: 'k', source: null})

describe('sessions known only from their exports', () => {
  it('are those no reader found any more, filtered as sessions are, each with its JSON export if it has one', async () => {
    const output = tempDir()
    mkdirSync(path.join(output, '.sessionsync'))
    const sessions = {
      'claude/gone-json': {exports: {json: exported('claude/gone.json'), markdown: exported('claude/gone.md')}, facts: facts('gone-json', '/home/dev/app')},
      'claude/gone-markdown': {exports: {markdown: exported('claude/gone2.md')}, facts: facts('gone-markdown', '/home/dev/app')},
      'claude/gone-elsewhere': {exports: {markdown: exported('claude/gone3.md')}, facts: facts('gone-elsewhere', '/home/dev/other')},
      // Found by the reader, though the filters left it out of the plan: the agent still has it.
      'claude/present': {exports: {markdown: exported('claude/present.md')}, facts: facts('present', '/home/dev/app')},
      'pi/not-asked-for': {exports: {markdown: exported('pi/x.md')}, facts: {...facts('not-asked-for', '/home/dev/app'), agent: 'pi'}},
      // A branch left in a session the reader found (without --all-branches, or now its main thread).
      'claude/present.branch-1c9d2e80': {exports: {markdown: exported('claude/present-branch.md')}, facts: facts('present.branch-1c9d2e80', '/home/dev/app')},
      'claude/gone-json.branch-f02b7c64': {exports: {markdown: exported('claude/gone-branch.md')}, facts: facts('gone-json.branch-f02b7c64', '/home/dev/app')},
    }
    writeFileSync(path.join(output, '.sessionsync/state.json'), JSON.stringify({sessions, version: 2}))
    const state = await ExportState.load(new OutputFolder(output))
    const plans = [{discovered: new Set(['claude/present']), error: null, reader: {agent: 'claude'}, sessions: []}] as unknown as AgentPlan[]
    const options: FilterOptions = {branch: null, subagents: true, workspaces: ['/home/dev/app']}
    const archived = archivedSessions(state, plans, options, formatsToRead('markdown'))
    expect(archived.map(({facts: {id}, file, format}) => ({file, format, id}))).to.deep.equal([
      {file: 'claude/gone.json', format: 'json', id: 'gone-json'},
      {file: 'claude/gone2.md', format: 'markdown', id: 'gone-markdown'},
      {file: 'claude/gone-branch.md', format: 'markdown', id: 'gone-json.branch-f02b7c64'},
    ])
    // A reader whose discovery failed does not say which sessions its agent still has.
    expect(archivedSessions(state, [{...plans[0], error: 'the database is locked'}], options, formatsToRead('markdown'))).to.deep.equal([])
  })

  it('marks gone only what this machine exported: in a folder shared through git, another machine\'s sessions are not this agent\'s to have', async () => {
    const state = await ExportState.load(new OutputFolder(tempDir()))
    const hosts = {here: HOST_TAG, kept: HOST_TAG, older: null, teammate: 'a1b2c3d4'}
    for (const [id, host] of Object.entries(hosts)) state.set(`claude/${id}`, 'markdown', sessionFacts(id), exportRecord(`claude/${id}.md`, {host}))
    // The agent here still has `kept` only.
    const plan = {discovered: new Set(['claude/kept']), error: null, installed: true, reader: {agent: 'claude'} as Reader, sessions: [], warnings: {count: 0}} as unknown as AgentPlan
    const everywhere = {branch: null, subagents: true, workspaces: null}
    noteSources(state, [plan], everywhere, '2026-12-01T00:00:00.000Z')
    const goneSince = Object.fromEntries([...state.all()].map(([key, session]) => [key, session.sourceGoneAt]))
    expect(goneSince).to.deep.equal({'claude/here': '2026-12-01T00:00:00.000Z', 'claude/kept': null, 'claude/older': '2026-12-01T00:00:00.000Z', 'claude/teammate': null})
    const archived = archivedSessions(state, [plan], everywhere, ['markdown'])
    expect(Object.fromEntries(archived.map(({elsewhere, facts}) => [facts.id, elsewhere]))).to.deep.equal({here: false, older: false, teammate: true})
  })
})
