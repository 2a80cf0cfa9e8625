import {cpSync, readdirSync, readFileSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {runCli, tempDir} from '../../helpers/cli.js'
import {FIXTURE} from './helpers.js'

/** Every file below a folder, relative to it, sorted. */
const filesIn = (folder: string) => (readdirSync(folder, {recursive: true, withFileTypes: true}) as Array<{isFile(): boolean; name: string; parentPath?: string; path?: string}>)
  .filter((entry) => entry.isFile())
  .map((entry) => path.relative(folder, path.join(entry.parentPath ?? entry.path ?? folder, entry.name)))
  .sort()

describe('Claude Code reader: sessionsync --agent claude', function () {
  const env = () => ({CLAUDE_CONFIG_DIR: FIXTURE, HOME: tempDir()})

  it('writes one file per session and per subagent of the workspace, subagents beside their parent', async function () {
    const output = tempDir()
    const result = await runCli(['--agent', 'claude', '--workspace', '/home/dev/app', '--output', output], env())
    expect(result.code, result.stderr).to.equal(0)
    const files = filesIn(path.join(output, 'claude')).filter((file) => file.endsWith('.md'))
    expect(files).to.have.length(9)
    expect(files.filter((file) => file.includes('/'))).to.have.length(3)
    expect(files).to.include('2026-03-02-upload-review-3c0e5c2b/2026-03-02-find-callers-a3f29c1d.md')
    expect(files.some((file) => file.includes('other'))).to.equal(false)

    const markdown = readFileSync(path.join(output, 'claude', '2026-03-02-upload-review-3c0e5c2b.md'), 'utf8')
    expect(markdown).to.match(/^---\nagent: claude\n/)
    expect(markdown).to.include('/review src/upload.ts').and.include('(2026-03-02-upload-review-3c0e5c2b/2026-03-02-find-callers-a3f29c1d.md)')
    expect(markdown).to.not.include('<command-name>').and.not.include('system-reminder').and.not.include('hook_progress')
    expect(markdown).to.include('**Side question**\n\nWhich test runner does this project use?\n\n**Side question answer**\n\nIt uses vitest.')
  })

  it('exports the sessions of a project that moved, once its project folder was renamed after it, from the new folder', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    renameSync(path.join(config, 'projects', '-home-dev-app'), path.join(config, 'projects', '-srv-app'))
    const output = tempDir()
    const result = await runCli(['--agent', 'claude', '--workspace', '/srv/app', '--output', output], {CLAUDE_CONFIG_DIR: config, HOME: tempDir()})
    expect(result.code, result.stderr).to.equal(0)
    expect(filesIn(path.join(output, 'claude')).filter((file) => file.endsWith('.md'))).to.have.length(9)
    expect(readFileSync(path.join(output, 'claude', '2026-03-02-upload-review-3c0e5c2b.md'), 'utf8')).to.include('\nworkspace: /srv/app\n')
    // Once Claude Code deletes a transcript, its export still counts as the new folder's.
    rmSync(path.join(config, 'projects', '-srv-app', '3c0e5c2b-7f1d-4c3a-9e10-000000000003.jsonl'))
    const again = await runCli(['--agent', 'claude', '--workspace', '/srv/app', '--output', output], {CLAUDE_CONFIG_DIR: config, HOME: tempDir()})
    expect(again.code, again.stderr).to.equal(0)
    expect(readFileSync(path.join(output, 'INDEX.md'), 'utf8')).to.match(/\[Upload review\].*source gone since/)
  })

  it('with --all-branches, also writes the branch a rewind left, as a fork of its session in the index', async function () {
    const output = tempDir()
    const result = await runCli(['--agent', 'claude', '--workspace', '/home/dev/app', '--output', output, '--all-branches'], env())
    expect(result.code, result.stderr).to.equal(0)
    const branch = filesIn(path.join(output, 'claude')).filter((file) => file.includes('branch-1'))
    expect(branch).to.have.length(1)
    expect(readFileSync(path.join(output, 'claude', branch[0]), 'utf8')).to.include('Apple (abandoned branch).').and.include('forked_from: 5e0e5c2b-7f1d-4c3a-9e10-000000000005')
    expect(readFileSync(path.join(output, 'INDEX.md'), 'utf8')).to.match(/Name a colour \(branch 1\).*fork of \[5e0e5c2b\].*2 new msgs/)
  })

  it('shows a branch by the id list gives it, and finds it by its short id with --all-branches', async function () {
    const listed = await runCli(['list', '--agent', 'claude', '--workspace', '/home/dev/app', '--all-branches', '--json'], env())
    const branch = (JSON.parse(listed.stdout) as {sessions: Array<{id: string; title: string}>}).sessions.find((session) => session.title.endsWith('(branch 1)'))!
    const byId = await runCli(['show', branch.id], env())
    expect(byId.code, byId.stderr).to.equal(0)
    expect(byId.stdout).to.include('Apple (abandoned branch).').and.not.include('Otter.')
    const byShortId = await runCli(['show', branch.id.split('.branch-')[1], '--all-branches'], env())
    expect(byShortId.code, byShortId.stderr).to.equal(0)
    expect(byShortId.stdout).to.include('Apple (abandoned branch).')
    // Only the branch says it: search finds it there with the flag, and nowhere without.
    const search = (more: string[]) => runCli(['search', 'Apple', '--agent', 'claude', '--workspace', '/home/dev/app', ...more], env())
    const found = await search(['--all-branches'])
    expect(found.code, found.stderr).to.equal(0)
    expect(found.stdout).to.include('(branch 1)')
    expect((await search([])).code).to.equal(1)
  })

  it('remembers what discovery saw in the cache folder, not in the export, and lists from it', async function () {
    const environment = {...env(), SESSIONSYNC_CACHE_DIR: tempDir()}
    const output = tempDir()
    expect((await runCli(['--agent', 'claude', '--workspace', '/home/dev/app', '--output', output], environment)).code).to.equal(0)
    const memo = JSON.parse(readFileSync(path.join(environment.SESSIONSYNC_CACHE_DIR, 'discovery', 'claude.json'), 'utf8'))
    const remembered = Object.keys(memo.scopes[path.join(FIXTURE, 'projects')])
    expect(remembered).to.include(path.join(FIXTURE, 'projects', '-home-dev-app', '3c0e5c2b-7f1d-4c3a-9e10-000000000003.jsonl'))
    // A subagent's description (its title) too: a re-run opens no meta file.
    expect(remembered.filter((key) => key.endsWith('.jsonl#meta'))).to.not.be.empty
    expect(filesIn(output).some((file) => file.includes('discovery'))).to.equal(false)
    const listed = await runCli(['list', '--agent', 'claude', '--workspace', '/home/dev/app', '--output', output, '--json'], environment)
    expect(JSON.parse(listed.stdout).sessions.map((session: {status: string}) => session.status)).to.satisfy((statuses: string[]) => statuses.length === 9 && statuses.every((status) => status === 'up to date'))
  })

  it('leaves the subagents out with --no-subagents', async function () {
    const output = tempDir()
    const result = await runCli(['--agent', 'claude', '--workspace', '/home/dev/app', '--output', output, '--no-subagents', '--format', 'json'], env())
    expect(result.code, result.stderr).to.equal(0)
    const files = filesIn(path.join(output, 'claude')).filter((file) => file.endsWith('.json'))
    expect(files).to.have.length(6)
    expect(files.every((file) => !file.includes('/'))).to.equal(true)
  })

  it('names the corrupt line, exports the session anyway, and says so in the exit code', async function () {
    const output = tempDir()
    const result = await runCli(['--agent', 'claude', '--workspace', '/home/dev/other', '--output', output], env())
    expect(result.code).to.equal(1)
    expect(result.stderr).to.include('7a0e5c2b-7f1d-4c3a-9e10-000000000007.jsonl:2')
    expect(filesIn(path.join(output, 'claude'))).to.have.length(1)
  })
})
