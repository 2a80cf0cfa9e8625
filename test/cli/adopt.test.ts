import {expect} from 'chai'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Session} from '../../src/model/session.js'
import {fixtureSession, runCli, sandbox, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('exports in the output folder that its state does not name', function () {
  this.timeout(120_000)

  it('are indexed and listed again: a session whose source is gone after the state was deleted, and a teammate\'s export copied in', async () => {
    const {env, root, workspace} = await sandbox()
    const home = env.EXAMPLE_AGENT_HOME!
    /** A session the agent keeps in its `index`-th file, which its export names as its source. */
    const session = (index: number, id: string, title: string, agentHome: string): Session => ({...fixtureSession('rich'), createdAt: `2026-11-1${index}T09:00:00.000Z`, id, source: {agentVersion: null, path: path.join(agentHome, `00${index}.json`)}, title, updatedAt: `2026-11-1${index}T10:00:00.000Z`})
    const kept = session(0, '1a000000-0000-4000-8000-000000000001', 'Kept by the agent', home)
    const deleted = session(1, '2a000000-0000-4000-8000-000000000002', 'Deleted by the agent', home)
    writeExampleSessions(env, [kept, deleted], workspace)
    expect((await runCli([], env, workspace)).code).to.equal(0)

    // A teammate's machine exported one of its own sessions into its checkout of the project.
    const teammate = {...env, EXAMPLE_AGENT_HOME: path.join(root, 'teammate-agent'), SESSIONSYNC_CACHE_DIR: path.join(root, 'teammate-cache')}
    const theirs = path.join(root, 'teammate-checkout')
    mkdirSync(theirs)
    writeExampleSessions(teammate, [session(0, '3b000000-0000-4000-8000-000000000003', 'Made by the teammate', teammate.EXAMPLE_AGENT_HOME!)], theirs)
    expect((await runCli([], teammate, theirs)).code).to.equal(0)
    rmSync(teammate.EXAMPLE_AGENT_HOME!, {force: true, recursive: true})
    const theirExport = readdirSync(path.join(theirs, '.sessions/example')).find((name) => name.endsWith('.md'))!
    const folder = path.join(workspace, '.sessions')
    copyFileSync(path.join(theirs, '.sessions/example', theirExport), path.join(folder, 'example', theirExport))

    rmSync(path.join(folder, '.sessionsync/state.json'))
    writeExampleSessions(env, [kept], workspace)
    const again = await runCli([], env, workspace)
    expect(again.code, again.stderr).to.equal(0)
    expect(unwrap(again.stderr)).to.contain('3 exports in .sessions were not in its state (a state deleted, or exports brought by git): indexed again')

    const titles = ['Made by the teammate', 'Deleted by the agent', 'Kept by the agent']
    const json = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8'))
    expect(json.sessions.map((entry: {title: string}) => entry.title).sort()).to.deep.equal([...titles].sort())
    const gone = (title: string) => json.sessions.find((entry: {title: string}) => entry.title === title).sourceGoneAt
    expect(gone('Deleted by the agent'), "this machine's session its agent deleted").to.be.a('string')
    expect(gone('Made by the teammate'), "a teammate's session").to.equal(null)
    expect(gone('Kept by the agent')).to.equal(null)
    const markdown = readFileSync(path.join(folder, 'INDEX.md'), 'utf8')
    const line = (title: string) => markdown.split('\n').find((text) => text.includes(`[${title}]`))
    expect(line('Deleted by the agent')).to.contain('source gone since')
    expect(line('Made by the teammate')).to.not.contain('source gone')
    expect(line('Kept by the agent')).to.not.contain('source gone')

    const listed = await runCli(['list', '-w', '/', '--json'], env, workspace)
    expect(listed.code, listed.stderr).to.equal(0)
    const status = Object.fromEntries(JSON.parse(listed.stdout).sessions.map((entry: {status: string; title: string}) => [entry.title, entry.status]))
    expect(status).to.deep.equal({'Deleted by the agent': 'source gone', 'Kept by the agent': 'up to date', 'Made by the teammate': 'other machine'})
    const inWorkspace = await runCli(['list'], env, workspace)
    expect(inWorkspace.stdout).to.contain('Deleted by the agent')

    const quiet = await runCli([], env, workspace)
    expect(quiet.stderr, 'told once').to.not.contain('not in its state')
  })
})
