import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {opencodeReader} from '../../plugins/reader-opencode/src/reader.js'
import {piReader} from '../../plugins/reader-pi/src/reader.js'
import type {Reader, ReaderInput} from '../../src/plugin-api.js'
import {type RunInput, stampInputs} from '../../src/unchanged-run/stamp.js'
import {tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'
import {insertSession, opencodeHome} from '../readers/opencode/opencode-home.js'
import {piHome, writeSession} from '../readers/pi/pi-home.js'

const inputsOf = (reader: Reader, env: NodeJS.ProcessEnv) => reader.inputs!(readerContext(env))
const asRunInputs = (inputs: ReaderInput[]): RunInput[] => inputs.map((input) => (typeof input === 'string' ? {path: input, scope: 'tree'} : {path: input.listing, scope: 'listing'}))

describe('what each first-party reader says its discovery depends on', () => {
  it('Claude Code: the projects folders and settings of every configuration folder, present or not', async () => {
    expect(await inputsOf(claudeReader, {HOME: '/home/someone'})).to.deep.equal([
      '/home/someone/.claude/projects',
      '/home/someone/.claude/settings.json',
      '/home/someone/.config/claude/projects',
      '/home/someone/.config/claude/settings.json',
    ])
    expect(await inputsOf(claudeReader, {CLAUDE_CONFIG_DIR: '/etc/claude', HOME: '/home/someone'})).to.include('/etc/claude/projects').and.include('/etc/claude/settings.json')
  })

  it("Pi: its sessions folder, its settings and the project's, its SQLite store, and the folders they or the environment move sessions to", async () => {
    const home = piHome()
    writeFileSync(path.join(home.agentDir, 'settings.json'), JSON.stringify({sessionDir: '~/moved'}))
    const workspace = '/work/app'
    const inputs = await piReader.inputs!(readerContext({...home.env, PI_CODING_AGENT_SESSION_DIR: '/srv/pi-sessions'}, {hints: {branch: null, workspace}}))
    expect(inputs).to.have.members([path.join(home.agentDir, 'sessions'), path.join(home.agentDir, 'settings.json'), `${workspace}/.pi/settings.json`, path.join(home.agentDir, 'sessions.sqlite'), '/srv/pi-sessions', path.join(home.env.HOME!, 'moved')])
    // A session written where Pi keeps them changes their stamp.
    const before = stampInputs(asRunInputs(inputs))
    writeSession(home.agentDir, 'new.jsonl', [{cwd: '/work', id: 'x', timestamp: '2026-11-30T10:00:00.000Z', type: 'session', version: 3}])
    expect(stampInputs(asRunInputs(inputs))).to.not.equal(before)
  })

  it('OpenCode: the data folder\'s names, each database with its write-ahead log, and the JSON storage', async () => {
    const home = opencodeHome()
    const inputs = await inputsOf(opencodeReader, home.env)
    expect(inputs).to.deep.equal([{listing: home.data}, home.database, `${home.database}-wal`, path.join(home.data, 'storage')])
    // A session OpenCode saves while it runs (in the write-ahead log) changes their stamp.
    const before = stampInputs(asRunInputs(inputs))
    insertSession(home.writer, {created: Date.now(), directory: home.workspace, id: 'ses_new', title: 'new'}, [])
    expect(stampInputs(asRunInputs(inputs))).to.not.equal(before)
    home.writer.close()
  })

  it('OpenCode: where it would appear when it is not installed, and the database $OPENCODE_DB names', async () => {
    const root = tempDir()
    const inputs = await inputsOf(opencodeReader, {HOME: root, OPENCODE_DB: path.join(root, 'elsewhere', 'my.db')})
    expect(inputs).to.deep.include({listing: path.join(root, '.local/share/opencode')})
    expect(inputs).to.include(path.join(root, 'elsewhere', 'my.db')).and.include(path.join(root, 'elsewhere', 'my.db-wal'))
    const before = stampInputs(asRunInputs(inputs))
    mkdirSync(path.join(root, '.local/share/opencode'), {recursive: true})
    expect(stampInputs(asRunInputs(inputs))).to.not.equal(before)
  })
})
