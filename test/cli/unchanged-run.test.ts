import {appendFileSync, cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {runCli, sandbox, tempDir} from '../helpers/cli.js'
import {FIXTURE, SESSION} from '../readers/claude/helpers.js'

describe('sync with nothing to do, answered from the record of the run before', function () {
  this.timeout(60_000)
  let config: string
  let env: NodeJS.ProcessEnv
  let output: string
  const sync = (args: string[] = [], workspace = '/home/dev/app') => runCli(['--agent', 'claude', '--workspace', workspace, '--output', output, ...args], env)
  const records = () => {
    const folder = path.join(env.SESSIONSYNC_CACHE_DIR!, 'runs')
    return existsSync(folder) ? readdirSync(folder).map((name) => path.join(folder, name)) : []
  }
  /** Marks the one record, so that a replay shows as such. */
  const markRecord = () => {
    const [file] = records()
    writeFileSync(file, JSON.stringify({...JSON.parse(readFileSync(file, 'utf8')), stdout: 'replayed\n'}))
  }

  const transcript = (id: string) => path.join(config, 'projects', '-home-dev-app', `${id}.jsonl`)

  beforeEach(async () => {
    config = path.join(tempDir(), 'claude')
    cpSync(FIXTURE, config, {recursive: true})
    env = {CLAUDE_CONFIG_DIR: config, HOME: tempDir(), SESSIONSYNC_CACHE_DIR: tempDir()}
    output = tempDir()
    const first = await sync()
    expect(first.code, first.stderr).to.equal(0)
    expect(first.stdout).to.match(/9 found, 9 written/)
    expect(records()).to.have.length(1)
  })

  it('prints what a run with nothing to do prints, while nothing changed', async () => {
    const record = JSON.parse(readFileSync(records()[0], 'utf8'))
    rmSync(records()[0])
    const ordinary = await sync()
    expect(ordinary.stdout).to.match(/^Markdown export in .*\n {2}Claude Code {2}9 found, 0 written, 9 up to date\n$/)
    expect(record.stdout).to.equal(ordinary.stdout)
    markRecord()
    expect((await sync()).stdout).to.equal('replayed\n')
  })

  it('takes the ordinary way when a session grew, and exports it', async () => {
    markRecord()
    const file = transcript(SESSION.v21)
    appendFileSync(file, readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)!.replace(/"uuid":"[^"]+"/, '"uuid":"11111111-2222-4333-8444-555555555555"') + '\n')
    expect((await sync()).stdout).to.match(/9 found, 1 written, 8 up to date/)
  })

  it("exports a session again when only its side call's file changed: a /btw question answered after its last turn", async () => {
    const sideQuestion = path.join(config, 'projects', '-home-dev-app', SESSION.v21, 'subagents', 'agent-aside_question-8e2f4a91c07b5d36.jsonl')
    const exported = path.join(output, 'claude', '2026-03-02-upload-review-3c0e5c2b.md')
    const lines = readFileSync(sideQuestion, 'utf8').trimEnd().split('\n')
    // Asked at the last export, answered since.
    writeFileSync(sideQuestion, lines.slice(0, -1).join('\n') + '\n')
    const later = (seconds: number) => utimesSync(sideQuestion, new Date(), new Date(statSync(sideQuestion).mtimeMs + seconds * 1000))
    later(1)
    expect((await sync()).stdout).to.match(/9 found, 1 written, 8 up to date/)
    expect(readFileSync(exported, 'utf8')).to.contain('Which test runner does this project use?').and.not.contain('It uses vitest.')
    appendFileSync(sideQuestion, lines.at(-1) + '\n')
    later(3)
    expect((await sync()).stdout).to.match(/9 found, 1 written, 8 up to date/)
    expect(readFileSync(exported, 'utf8')).to.contain('It uses vitest.')
    // Not answered from the record: the session's fingerprint says it is up to date.
    for (const record of records()) rmSync(record)
    expect((await sync()).stdout).to.match(/9 found, 0 written, 9 up to date/)
  })

  it('takes the ordinary way when a session appeared in a new project folder', async () => {
    markRecord()
    cpSync(path.join(config, 'projects', '-home-dev-app'), path.join(config, 'projects', '-home-dev-app-copy'), {recursive: true})
    // Same sessions under another folder name: found again (as duplicates), not replayed.
    expect((await sync()).stdout).to.not.equal('replayed\n')
  })

  it('takes the ordinary way when an export was deleted, and writes it again', async () => {
    markRecord()
    const [exported] = readdirSync(path.join(output, 'claude')).filter((name) => name.endsWith('.md'))
    rmSync(path.join(output, 'claude', exported))
    expect((await sync()).stdout).to.match(/9 found, 1 written, 8 up to date/)
  })

  it("takes the ordinary way when a teammate's export was brought into the folder, and indexes it", async () => {
    markRecord()
    const exported = readdirSync(path.join(output, 'claude')).find((name) => name.endsWith(`${SESSION.v21.slice(0, 8)}.md`))!
    const theirs = '9e000000-0000-4000-8000-000000000009'
    writeFileSync(path.join(output, 'claude', `2026-11-30-their-session-${theirs.slice(0, 8)}.md`), readFileSync(path.join(output, 'claude', exported), 'utf8').replaceAll(SESSION.v21, theirs))
    const synced = await sync()
    expect(synced.stderr).to.contain('1 export in')
    expect(JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8')).sessions.map((entry: {id: string}) => entry.id)).to.include(theirs)
  })

  it('takes the ordinary way when the index was edited in place, and writes it again', async () => {
    markRecord()
    const index = path.join(output, 'INDEX.md')
    const written = readFileSync(index, 'utf8')
    appendFileSync(index, '- a line of my own\n')
    expect((await sync()).stdout).to.match(/9 found, 0 written, 9 up to date/)
    expect(readFileSync(index, 'utf8')).to.equal(written)
  })

  it('is another run with other arguments or another environment', async () => {
    markRecord()
    env = {...env, SOME_VARIABLE: '1'}
    expect((await sync()).stdout).to.match(/9 found, 0 written, 9 up to date/)
    expect((await sync(['--no-tools'])).stdout).to.match(/9 found, 9 written/)
  })

  it('never replays a run while a plugin fails to register: its warning is repeated', async () => {
    rmSync(records()[0])
    ;({env} = await sandbox())
    env = {...env, CLAUDE_CONFIG_DIR: config, EXAMPLE_REGISTER_FAIL: '1'}
    const runs = [await sync(), await sync()]
    expect(runs[1].stderr).to.include('failed to register')
    expect(runs[1].stdout).to.match(/9 found, 0 written, 9 up to date/)
    expect(records()).to.be.empty
  })

  it('never replays a run that said more than its summary', async () => {
    rmSync(records()[0])
    // A folder without sessions is told where the agents' sessions are, at every run.
    const runs = [await sync([], '/home/dev/nowhere'), await sync([], '/home/dev/nowhere')]
    expect(runs[1].stdout + runs[1].stderr).to.include('No session found')
    expect(records()).to.be.empty
  })

  it('tells of a subagent exported without its parent when it is written, not at the runs after', async () => {
    rmSync(records()[0])
    rmSync(transcript(SESSION.v21))
    // Its parent went after it was exported: the next export of it is its first on its own.
    appendFileSync(path.join(config, 'projects', '-home-dev-app', SESSION.v21, 'subagents', readdirSync(path.join(config, 'projects', '-home-dev-app', SESSION.v21, 'subagents')).find((name) => name.endsWith('.jsonl'))!), '\n')
    const noted = await sync()
    expect(noted.stdout + noted.stderr).to.include(`parent session ${SESSION.v21} is gone; exported on its own`)
    const after = await sync()
    expect(after.stdout + after.stderr).to.not.include('is gone')
    expect(records(), 'a run that only found everything up to date is remembered').to.have.length(1)
  })

  it('never replays a run that warned, failed, or was asked for more (--verbose, --force)', async () => {
    rmSync(records()[0])
    // An empty transcript is skipped with a warning at every run.
    writeFileSync(transcript('8b0e5c2b-7f1d-4c3a-9e10-000000000008'), '')
    const warned = [await sync(), await sync()]
    expect(warned.map((run) => run.code)).to.deep.equal([1, 1])
    expect(warned[1].stderr).to.include('empty file')
    await sync(['--verbose'])
    await sync(['--verbose'])
    await sync(['--force'])
    expect(records()).to.be.empty
  })
})
