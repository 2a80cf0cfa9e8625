import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {parseSince, SelectionError} from '../../src/selection.js'
import {fixtureSession, runCli, sandbox, tempDir, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('--since', () => {
  const now = Date.parse('2026-11-30T12:00:00.000Z')

  it('takes an age back from now, a date from local midnight, or a time', () => {
    expect(parseSince('90m', now)).to.equal('2026-11-30T10:30:00.000Z')
    expect(parseSince('12h', now)).to.equal('2026-11-30T00:00:00.000Z')
    expect(parseSince('7d', now)).to.equal('2026-11-23T12:00:00.000Z')
    expect(parseSince('2W', now)).to.equal('2026-11-16T12:00:00.000Z')
    expect(parseSince('2026-11-01', now)).to.equal(new Date(2026, 10, 1).toISOString())
    expect(parseSince('2026-11-01T14:00:00Z', now)).to.equal('2026-11-01T14:00:00.000Z')
    expect(parseSince('2026-11-01 14:00', now)).to.equal(new Date(2026, 10, 1, 14).toISOString())
  })

  it('starts a date at midnight where the user is, not in UTC', () => {
    const zone = process.env.TZ
    process.env.TZ = 'America/New_York'
    try {
      expect(parseSince('2026-11-01', now)).to.equal('2026-11-01T04:00:00.000Z')
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('refuses a capital M, which could be months as well as minutes', () => {
    expect(() => parseSince('1M', now)).to.throw(SelectionError, '--since 1M: M could be minutes or months')
    expect(parseSince('1m', now)).to.equal('2026-11-30T11:59:00.000Z')
  })

  it('refuses what is neither, and dates that do not exist', () => {
    for (const given of ['yesterday', '7 days', '5', 'Nov 1', '2026-02-30', '2026-11-01T25:00', '99999999w', '']) expect(() => parseSince(given, now), given).to.throw(SelectionError, 'give a date (2026-11-01)')
  })
})

describe('choosing sessions (end to end)', () => {
  let env: NodeJS.ProcessEnv
  let workspace: string

  before(async () => {
    ;({env, workspace} = await sandbox())
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), {...fixtureSession('empty'), updatedAt: '2026-11-25T08:00:00.000Z'}], workspace)
  })

  const exported = (output: string) => readdirSync(output, {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'INDEX.md').map((entry) => entry.name).sort()

  it('sync --session exports the session whose id starts so, with its subagents', async () => {
    const output = tempDir('sessionsync-out-')
    const result = await runCli(['--session', '7f3c2a10', '--agent', 'example', '-w', workspace, '-o', output], env)
    expect(result.code, result.stderr).to.equal(0)
    expect(exported(output)).to.deep.equal(['2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-7f3c2a10.md', '2026-11-20-search-for-timers-a1b2c3d.md'])
    expect(result.stdout).to.contain('2 found, 2 written')
  })

  it('sync --session warns of an id that names no session, and exits 1, while exporting those the others name', async () => {
    const output = tempDir('sessionsync-out-')
    const result = await runCli(['--session', '7f3c2a10', '--session', 'deadbeef', '--agent', 'example', '-w', workspace, '-o', output], env)
    expect(result.code, result.stderr).to.equal(1)
    expect(result.stdout).to.contain('2 found, 2 written')
    expect(unwrap(result.stderr)).to.contain(`no session of ${workspace} matched --session deadbeef; sessionsync list shows their ids`)
    // Every folder: no hint about folders to try, but the id is still named.
    const everywhere = await runCli(['--session', 'deadbeef', '--agent', 'example', '-w', '/', '-o', tempDir('sessionsync-out-')], env)
    expect(everywhere.stdout).to.contain('0 found')
    expect(everywhere.code).to.equal(1)
    expect(unwrap(everywhere.stderr)).to.contain('no session matched --session deadbeef; sessionsync list shows their ids')
    // A workspace that has sessions, none of them named: the hint says how many it has.
    const here = await runCli(['--session', 'deadbeef', '--agent', 'example', '-w', workspace, '-o', tempDir('sessionsync-out-')], env)
    expect(here.code).to.equal(1)
    expect(unwrap(here.stderr)).to.match(/No session of .* matched --session deadbeef/)
  })

  it('search --session takes one id, leaving the pattern after it to search for', async () => {
    const searched = await runCli(['search', '--session', '7f3c2a10', 'flaky', '--agent', 'example', '-w', workspace], env)
    expect(searched.code, searched.stderr).to.equal(0)
    expect(searched.stdout).to.contain('flaky')
  })

  it('sync --since exports only what was active since then', async () => {
    const output = tempDir('sessionsync-out-')
    const result = await runCli(['--since', '2026-11-24T00:00:00Z', '--agent', 'example', '-w', workspace, '-o', output], env)
    expect(result.code, result.stderr).to.equal(0)
    expect(exported(output)).to.have.length(1)
    expect(exported(output)[0]).to.match(/0c0ffee0\.md$/)
  })

  it('list takes the same choice; a --since it cannot read, or an empty --session, stops with what to give', async () => {
    const listed = await runCli(['list', '--session', 'agent-a1b2', '--agent', 'example', '-w', workspace, '-o', tempDir(), '--json'], env)
    expect(JSON.parse(listed.stdout).sessions.map((session: {id: string}) => session.id)).to.deep.equal(['agent-a1b2c3d'])
    const refused = await runCli(['--since', 'last week', '--agent', 'example', '-w', workspace, '-o', path.join(tempDir(), 'out')], env)
    expect(refused.code).to.equal(2)
    expect(unwrap(refused.stderr)).to.contain('--since last week: give a date (2026-11-01), a time (2026-11-01T14:00) or an age (90m, 12h, 7d, 2w)')
    const empty = await runCli(['--session', ' ', '--agent', 'example', '-w', workspace, '-o', path.join(tempDir(), 'out')], env)
    expect(empty.code).to.equal(2)
    expect(unwrap(empty.stderr)).to.contain('--session needs an id, or the start of one: see sessionsync list')
  })
})
