import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {type CliResult, runCli, tempDir, unwrap} from '../helpers/cli.js'

/**
 * One HOME holding every kind of bad input at once, next to good sessions: each problem is
 * named with its file (and line), everything else is exported, and the exit code says so.
 */
describe('hardening: bad input, all agents in one run', function () {
  const root = tempDir()
  const workspace = path.join(root, 'work', 'app')
  const output = path.join(root, 'out')
  const claudeProject = path.join(root, 'claude', 'projects', '-work-app')
  const piSessions = path.join(root, 'pi', 'sessions', '--work-app--')
  const opencodeData = path.join(root, 'xdg-data', 'opencode')
  let result: CliResult

  const claudeRecord = (sessionId: string, uuid: string, parentUuid: string | null, type: 'user' | 'assistant', text: string, extra: object = {}) => ({
    cwd: workspace, gitBranch: 'main', isSidechain: false, parentUuid, sessionId, timestamp: '2026-03-02T09:00:00.000Z', type, userType: 'external', uuid, version: '2.1.39',
    message: type === 'user' ? {content: text, role: 'user'} : {content: [{text, type: 'text'}], id: `msg_${uuid}`, model: 'claude-sonnet-4-5', role: 'assistant', type: 'message'},
    ...extra,
  })
  const lines = (...records: object[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n'
  const claudeFile = (id: string) => path.join(claudeProject, `${id}.jsonl`)

  const ID = {
    corrupt: 'c0000000-0000-4000-8000-000000000001',
    empty: 'c0000000-0000-4000-8000-000000000002',
    latin1: 'c0000000-0000-4000-8000-000000000003',
    unknownType: 'c0000000-0000-4000-8000-000000000004',
    orphanParent: 'c0000000-0000-4000-8000-000000000005',
  }

  before(async function () {
    mkdirSync(workspace, {recursive: true})
    mkdirSync(claudeProject, {recursive: true})
    // A corrupt line in the middle, and a last line still being written.
    writeFileSync(claudeFile(ID.corrupt), lines(claudeRecord(ID.corrupt, 'a1', null, 'user', 'Corrupt file prompt')) + '{"type":"assistant","message":\n' + lines(claudeRecord(ID.corrupt, 'a2', 'a1', 'assistant', 'Answer after the corrupt line')) + '{"parentUuid":"a2","type":"us')
    writeFileSync(claudeFile(ID.empty), '')
    // A line in Latin-1, not UTF-8.
    writeFileSync(claudeFile(ID.latin1), Buffer.concat([Buffer.from(lines(claudeRecord(ID.latin1, 'b1', null, 'user', 'Latin file prompt'))), Buffer.from(JSON.stringify(claudeRecord(ID.latin1, 'b2', 'b1', 'assistant', 'caf_')).replace('caf_', 'caf\u00e9'), 'latin1'), Buffer.from('\n')]))
    writeFileSync(claudeFile(ID.unknownType), lines(claudeRecord(ID.unknownType, 'd1', null, 'user', 'Unknown type prompt'), {payload: 1, sessionId: ID.unknownType, type: 'hologram-state'}, claudeRecord(ID.unknownType, 'd2', 'd1', 'assistant', 'Answer beside an unknown record')))
    // A subagent whose parent transcript is gone.
    const orphan = path.join(claudeProject, ID.orphanParent, 'subagents')
    mkdirSync(orphan, {recursive: true})
    writeFileSync(path.join(orphan, 'agent-a0f1e2d3c4b5a697.jsonl'), lines({...claudeRecord(ID.orphanParent, 'e1', null, 'user', 'Orphaned subagent prompt'), agentId: 'a0f1e2d3c4b5a697', isSidechain: true}))
    // An OpenCode database that is not one.
    mkdirSync(opencodeData, {recursive: true})
    writeFileSync(path.join(opencodeData, 'opencode.db'), 'this is not an SQLite database at all, just text')
    // A Pi session whose id tries to climb out of the output folder.
    mkdirSync(piSessions, {recursive: true})
    writeFileSync(
      path.join(piSessions, '2026-03-02T09-00-00-000Z_hostile.jsonl'),
      lines(
        {cwd: workspace, id: '../../../etc/passwd', timestamp: '2026-03-02T09:00:00.000Z', type: 'session', version: 3},
        {id: 'p1', message: {content: [{text: 'Hostile id prompt', type: 'text'}], role: 'user', timestamp: 1772442000000}, parentId: null, timestamp: '2026-03-02T09:00:01.000Z', type: 'message'},
      ),
    )
    result = await runCli(['sync', '--workspace', workspace, '--output', output, '--format', 'json'], {
      CLAUDE_CONFIG_DIR: path.join(root, 'claude'), HOME: path.join(root, 'home'), PI_CODING_AGENT_DIR: path.join(root, 'pi'), SESSIONSYNC_CACHE_DIR: path.join(root, 'cache'), XDG_DATA_HOME: path.join(root, 'xdg-data'),
    })
  })

  const messages = () => unwrap(result.stderr)
  const exported = () => (readdirSync(output, {recursive: true}) as string[]).filter((file) => file.endsWith('.json') && !file.startsWith('.') && file !== 'index.json')

  it('says something failed in the exit code, and still exports every readable session', () => {
    expect(result.code, result.stderr).to.equal(1)
    const files = exported()
    expect(files.filter((file) => file.startsWith('claude'))).to.have.length(4)
    expect(files.filter((file) => file.startsWith('pi'))).to.have.length(1)
  })

  it('names the file and line of a corrupt line, and keeps the rest of that session', () => {
    expect(messages()).to.include(`${claudeFile(ID.corrupt)}:2`)
    expect(messages()).to.not.include(`${claudeFile(ID.corrupt)}:4`)
  })

  it('names an empty file', () => {
    expect(messages()).to.include(`${claudeFile(ID.empty)}: empty file`)
  })

  it('names a line that is not UTF-8', () => {
    expect(messages()).to.match(new RegExp(`${claudeFile(ID.latin1).replaceAll('.', '\\.')}:2: not valid JSON, line skipped \\(not valid UTF-8 text\\)`))
  })

  it('exports a session beside a record type it does not know, without failing over it', () => {
    expect(messages()).to.not.include('hologram-state')
    expect(exported().some((file) => file.includes('unknown-type-prompt'))).to.equal(true)
  })

  it('exports a subagent whose parent is gone on its own, saying so', () => {
    expect(messages()).to.include(`parent session ${ID.orphanParent} is gone`)
    expect(exported().some((file) => file.includes('a0f1e2d3'))).to.equal(true)
  })

  it('names a database that is not one, and goes on with the other agents', () => {
    expect(messages()).to.match(/OpenCode: .*opencode\.db: (is not an SQLite database|is corrupt)/)
  })

  it('keeps a hostile session id inside the output folder', () => {
    expect(existsSync(path.join(root, 'etc', 'passwd'))).to.equal(false)
    expect(existsSync(path.join(output, '..', 'etc'))).to.equal(false)
    const [pi] = exported().filter((file) => file.startsWith('pi'))
    expect(path.dirname(pi)).to.equal('pi')
  })
})
