import {expect} from 'chai'
import {cpSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {ListResultSchema} from '../../src/model/list-result.js'
import {fixtureSession, runCli, sandbox, tempDir, writeExampleSessions} from '../helpers/cli.js'
import {REAL_SAMPLES} from '../readers/claude/helpers.js'

describe('sessionsync list', () => {
  let env: NodeJS.ProcessEnv
  let workspace: string

  before(async () => {
    ;({env, workspace} = await sandbox())
  })

  const list = async (output: string, ...args: string[]) => {
    const result = await runCli(['list', '--agent', 'example', '-w', workspace, '-o', output, '--json', ...args], env)
    expect(result.code, result.stderr).to.equal(0)
    const json = JSON.parse(result.stdout)
    // Every field its schema has, and no other.
    expect(ListResultSchema.parse(json)).to.deep.equal(json)
    return json
  }

  it('shows each session with its export status: missing, then up to date, then stale', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent')], workspace)
    const before = await list(output)
    expect(before.sessions.map((session: {status: string}) => session.status)).to.deep.equal(['missing', 'missing'])
    expect(before.sessions[0]).to.include({agent: 'example', branch: 'fix/upload', id: '7f3c2a10-4b5e-4c1d-9a8b-0123456789ab', messages: null})

    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output], env)
    const after = await list(output)
    expect(after.sessions.map((session: {status: string}) => session.status)).to.deep.equal(['up to date', 'up to date'])
    expect(after.sessions[0].messages).to.equal(8)

    writeExampleSessions(env, [{...fixtureSession('rich'), title: 'changed and longer'}, fixtureSession('subagent')], workspace)
    const changed = await list(output)
    expect(changed.sessions[0].status).to.equal('stale')
    expect(changed.sessions[0].file).to.equal(after.sessions[0].file)
  })

  it('says when the sessions missing in the format asked for are exported in another', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent')], workspace)
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output, '-f', 'json'], env)
    const table = async (...args: string[]) => (await runCli(['list', '--agent', 'example', '-w', workspace, '-o', output, ...args], env)).stdout
    expect(await table()).to.contain(`2 sessions missing in markdown are exported in ${output} as json: sessionsync list -f json compares with those exports.`)
    expect(await table('-f', 'json')).to.not.contain('missing')
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output], env)
    expect(await table()).to.not.contain('missing')
  })

  it('judges an export up to date with the options it was made with', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output, '--no-tools', '--redact'], env)
    expect((await list(output, '--no-tools', '--redact')).sessions[0].status).to.equal('up to date')
    expect((await list(output)).sessions[0].status).to.equal('stale')
  })

  it("shows none of a failed reader's exports as gone, and exits 1", async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output], env)
    const result = await runCli(['list', '--agent', 'example', '-w', workspace, '-o', output, '--json'], {...env, EXAMPLE_DISCOVER_FAIL: '1'})
    expect(result.code).to.equal(1)
    expect(result.stderr).to.contain('Example Agent: could not list sessions: the example agent was told to fail')
    expect(JSON.parse(result.stdout).sessions).to.deep.equal([])
  })

  it('applies the same filters as sync', async () => {
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent')], workspace)
    expect((await list(tempDir(), '--no-subagents')).sessions).to.have.length(1)
    expect((await list(tempDir(), '--branch', 'nope')).sessions).to.have.length(0)
  })

  it('prints a table for people and marks sessions the agent is about to delete', async () => {
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString()
    writeExampleSessions(env, [{...fixtureSession('rich'), extra: {expiresAt: soon}}], workspace)
    const result = await runCli(['list', '--agent', 'example', '-w', workspace, '-o', tempDir()], env)
    const [header, row] = result.stdout.split('\n')
    expect(header).to.match(/^AGENT\s+ID\s+DATE\s+TITLE\s+BRANCH\s+MSGS\s+SIZE\s+EXPORT$/)
    expect(row).to.match(/^example\s+7f3c2a10\s+2026-11-20\s+Fix the flaky upload test/)
    expect(row).to.contain(`missing, deleted by the agent on ${soon.slice(0, 10)}`)
    expect(result.stdout).to.contain('1 session will be deleted by the agent within 7 days and is not exported')
  })

  it('lists the sessions the agent deleted since their export, as kept in the export', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('empty')], workspace)
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output], env)
    writeExampleSessions(env, [fixtureSession('empty')], workspace)
    const listed = await list(output, '--no-subagents')
    expect(listed.sessions.map((session: {id: string; status: string}) => [session.id, session.status])).to.deep.equal([
      ['7f3c2a10-4b5e-4c1d-9a8b-0123456789ab', 'source gone'],
      // Written again by the agent (the test rewrote its files): changed since.
      ['0c0ffee0-0000-4000-8000-000000000000', 'stale'],
    ])
    expect(listed.sessions[0]).to.include({messages: 8, sizeBytes: null})
    const table = (await runCli(['list', '--agent', 'example', '-w', workspace, '-o', output], env)).stdout
    expect(table).to.match(/7f3c2a10 .* - +source gone\n/)

    // Exported by another machine into this folder, shared through git: not gone, but another machine's.
    const stateFile = path.join(output, '.sessionsync', 'state.json')
    const state = JSON.parse(readFileSync(stateFile, 'utf8'))
    for (const record of Object.values(state.sessions[`example/${fixtureSession('rich').id}`].exports)) (record as {host: string}).host = 'a1b2c3d4'
    writeFileSync(stateFile, JSON.stringify(state))
    expect((await list(output, '--no-subagents')).sessions[0].status).to.equal('other machine')
  })

  it('names each session\'s folder when the sessions listed have several', async () => {
    const deep = `/srv/${'nested/'.repeat(6)}project`
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('empty')], (index) => (index === 0 ? workspace : deep))
    const [header, ...rows] = (await runCli(['list', '--agent', 'example', '-w', '/', '-o', tempDir()], env)).stdout.trim().split('\n')
    expect(header).to.match(/^AGENT\s+ID\s+DATE\s+FOLDER\s+TITLE\s+/)
    expect(rows.join('\n')).to.contain(`  ${workspace}  `).and.to.contain(`  …${deep.slice(-39)}  `)
    const [oneFolder] = (await runCli(['list', '--agent', 'example', '-w', workspace, '-o', tempDir()], env)).stdout.split('\n')
    expect(oneFolder).not.to.contain('FOLDER')
  })
})

describe('sessionsync list and sync, on a Claude Code fork made a day after its original', () => {
  const FORK = 'c06e2eae-acb8-410d-9cf2-37850be43721'

  it("date the fork by its first message of its own, as its export's created does, in the list and in a new export's file name", async () => {
    const config = path.join(tempDir(), 'claude')
    cpSync(REAL_SAMPLES, config, {recursive: true})
    // The real fork, as though made the next day: its records of its own, not the copies, a day later.
    const file = path.join(config, 'projects', '-tmp-conformance-claude-workspace', `${FORK}.jsonl`)
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    const ownFrom = lines.findIndex((line) => line.includes('[[conformance:fork]]') && line.includes('"type":"user"'))
    const own = (line: string, index: number) => index >= ownFrom || line.startsWith('{"type":"queue-operation"')
    writeFileSync(file, lines.map((line, index) => (own(line, index) ? line.replace('"timestamp":"2026-11-30T', '"timestamp":"2026-12-01T') : line)).join('\n') + '\n')
    const env = {CLAUDE_CONFIG_DIR: config, HOME: tempDir(), SESSIONSYNC_CACHE_DIR: tempDir()}
    const output = tempDir()
    const args = ['--agent', 'claude', '-w', '/tmp/conformance/claude/workspace', '-o', output]
    const listed = await runCli(['list', ...args, '--json'], env)
    expect(listed.code, listed.stderr).to.equal(0)
    const dates = Object.fromEntries(JSON.parse(listed.stdout).sessions.map((session: {id: string; createdAt: string}) => [session.id, session.createdAt]))
    expect(dates).to.deep.include({[FORK]: '2026-12-01T17:11:44.942Z', 'f6ca3445-9328-436a-810d-33c2929c3720': '2026-11-30T17:11:43.566Z'})
    const synced = await runCli(['sync', ...args], env)
    expect(synced.code, synced.stderr).to.equal(0)
    const exports = readdirSync(path.join(output, 'claude')).filter((name) => name.endsWith('.md'))
    const forkExport = exports.find((name) => name.endsWith(`-${FORK.slice(0, 8)}.md`))
    expect(forkExport).to.match(/^2026-12-01-/)
    expect(readFileSync(path.join(output, 'claude', forkExport!), 'utf8')).to.match(/^created: "2026-12-01T17:11:44\.942Z"$/m)
  })
})
