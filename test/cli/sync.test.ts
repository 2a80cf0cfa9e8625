import {expect} from 'chai'
import {execFile, spawn, spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parse as parseYaml} from 'yaml'
import {fromExportDocument} from '../../src/model/export-document.js'
import {BIN, canRunUnprivileged, type CliResult, fixtureSession, REPO, runCli, runCliUnprivileged, sandbox, tempDir, unprivilegedFolder, unwrap, writeExampleSessions} from '../helpers/cli.js'

const RICH_MD = 'example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-7f3c2a10.md'

describe('sessionsync sync (end to end, with a third-party plugin)', () => {
  let env: NodeJS.ProcessEnv
  let root: string
  let workspace: string

  before(async () => {
    ;({env, root, workspace} = await sandbox())
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), fixtureSession('empty')], workspace)
  })

  const sync = (args: string[]) => {
    const output = tempDir('sessionsync-out-')
    return runCli([...args, '--agent', 'example', '-w', workspace, '-o', output], env).then((result) => ({...result, output}))
  }

  it('runs sync when no command is given, in the requested format', async () => {
    const {code, output, stdout} = await sync(['--format', 'json'])
    expect(code, stdout).to.equal(0)
    const json = JSON.parse(readFileSync(path.join(output, RICH_MD.replace(/\.md$/, '.json')), 'utf8'))
    expect(json.id).to.equal('7f3c2a10-4b5e-4c1d-9a8b-0123456789ab')
    expect(stdout).to.match(/Example Agent\s+3 found, 3 written, 0 up to date/)
  })

  it('places subagents in a folder named after the parent and links them', async () => {
    const {output} = await sync([])
    const child = path.join(output, RICH_MD.replace(/\.md$/, ''), '2026-11-20-search-for-timers-a1b2c3d.md')
    expect(existsSync(child)).to.equal(true)
    expect(readFileSync(path.join(output, RICH_MD), 'utf8')).to.contain('Subagent session: [agent-a1b2c3d](2026-11-20-fix-the-flaky-upload-test-%C3%BCn%C3%AFc%C3%B6d%C3%A9-%E6%97%A5%E6%9C%AC%E8%AA%9E-7f3c2a10/2026-11-20-search-for-timers-a1b2c3d.md)')
  })

  it('writes images as files next to the session and links them, never inline base64', async () => {
    const {output} = await sync([])
    const markdown = readFileSync(path.join(output, RICH_MD), 'utf8')
    const folder = path.join(output, RICH_MD.replace(/\.md$/, ''), 'attachments')
    const [image] = readdirSync(folder)
    expect(image).to.match(/^[0-9a-f]{12}-screenshot\.png$/)
    expect(readFileSync(path.join(folder, image)).subarray(1, 4).toString()).to.equal('PNG')
    expect(markdown).to.contain(`](2026-11-20-fix-the-flaky-upload-test-%C3%BCn%C3%AFc%C3%B6d%C3%A9-%E6%97%A5%E6%9C%AC%E8%AA%9E-7f3c2a10/attachments/${image})`)
    expect(markdown).not.to.contain('iVBORw0KGgo')
  })

  it('writes the same files on a second run, even when a title changed', async () => {
    const output = tempDir('sessionsync-out-')
    const args = ['sync', '--agent', 'example', '-w', workspace, '-o', output]
    await runCli(args, env)
    const before = listFiles(output)
    const renamed = {...fixtureSession('rich'), title: 'A completely different title'}
    writeExampleSessions(env, [renamed, fixtureSession('subagent'), fixtureSession('empty')], workspace)
    const second = await runCli([...args, '--force'], env)
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), fixtureSession('empty')], workspace)
    expect(second.stdout).to.contain('3 written')
    expect(listFiles(output)).to.deep.equal(before)
    expect(readFileSync(path.join(output, RICH_MD), 'utf8')).to.contain('title: A completely different title')
  })

  it('skips sessions whose export is up to date', async () => {
    const output = tempDir('sessionsync-out-')
    const args = ['sync', '--agent', 'example', '-w', workspace, '-o', output]
    await runCli(args, env)
    const second = await runCli(args, env)
    expect(second.stdout).to.contain('3 found, 0 written, 3 up to date')
    const third = await runCli([...args, '--no-thinking'], env)
    expect(third.stdout, 'an option that shapes the output exports again').to.contain('3 written')
  })

  it('--verbose says what was skipped and why', async () => {
    const output = tempDir('sessionsync-out-')
    const args = ['--agent', 'example', '-w', workspace, '-o', output]
    await runCli(args, env)
    const quiet = await runCli(args, env)
    const verbose = await runCli([...args, '-v'], env)
    expect(quiet.stderr).not.to.contain('up to date, not read again')
    expect(verbose.stderr).to.match(/example\/2026-11-20-fix-the-flaky-upload-test-\S+-7f3c2a10\.md: up to date, not read again/)
  })

  it('--no-tools, --no-thinking and --no-attachments drop just those blocks', async () => {
    const {output} = await sync(['--format', 'json', '--no-tools', '--no-thinking', '--no-attachments'])
    const document = JSON.parse(readFileSync(path.join(output, RICH_MD.replace(/\.md$/, '.json')), 'utf8'))
    // The export says so: a study of its tool calls would otherwise find almost none.
    expect(document.shaping).to.deep.equal({attachments: false, maxOutputChars: null, redacted: false, thinking: false, tools: false})
    const session = fromExportDocument(document)
    const types = new Set(session.messages.flatMap((message) => message.blocks.map((block) => block.type)))
    expect([...types].sort()).to.deep.equal(['event', 'text', 'tool_call'])
    // The one call left is the link to a subagent's session.
    expect(session.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'tool_call' ? [block.name] : [])))).to.deep.equal(['Task'])
    expect(session.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'assistant', 'system', 'user', 'assistant'])
    expect(existsSync(path.join(output, RICH_MD.replace(/\.md$/, ''), 'attachments'))).to.equal(false)
  })

  it('--no-tools shapes what is exported, not the counts that the front matter and the index give of the session', async () => {
    const {output} = await sync(['--no-tools', '--no-thinking'])
    const markdown = readFileSync(path.join(output, RICH_MD), 'utf8')
    expect(markdown).to.match(/\nmessages: 8\ntool_calls: 3\ntools:\n {2}Bash: 1\n {2}Read: 1\n {2}Task: 1\nleft_out:\n {2}- tool calls\n {2}- thinking\n/)
    expect(readFileSync(path.join(output, 'INDEX.md'), 'utf8')).to.contain('8 msgs, 3 tool calls')
  })

  it('--no-subagents skips subagent sessions', async () => {
    const {output, stdout} = await sync(['--no-subagents'])
    expect(stdout).to.contain('2 found')
    expect(existsSync(path.join(output, RICH_MD.replace(/\.md$/, '')))).to.equal(true, 'attachments stay')
    expect(listFiles(output).filter((file) => file.includes('search-for-timers'))).to.deep.equal([])
  })

  it('--branch keeps sessions seen on that branch at any point', async () => {
    expect((await sync(['--branch', 'main'])).stdout).to.contain('2 found')
    expect((await sync(['--branch', 'fix/upload'])).stdout).to.contain('2 found')
    expect((await sync(['--branch', 'other'])).stdout).to.contain('0 found')
  })

  it('--workspace keeps sessions of that folder and below only', async () => {
    const output = tempDir('sessionsync-out-')
    const elsewhere = await runCli(['--agent', 'example', '-w', path.join(root, 'home'), '-o', output], env)
    expect(elsewhere.stdout).to.contain('0 found')
    const parent = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(parent.stdout).to.contain('3 found')
  })

  it('uses the current folder as the workspace and .sessions as the output by default', async () => {
    const result = await runCli(['--agent', 'example'], env, workspace)
    expect(result.code).to.equal(0)
    expect(existsSync(path.join(workspace, '.sessions', RICH_MD))).to.equal(true)
  })

  it('says so when the current folder was deleted, and still works with absolute paths', async function () {
    if (process.platform === 'win32') this.skip() // Windows does not delete a process's current folder.
    const gone = path.join(tempDir(), 'gone')
    mkdirSync(gone)
    // The shell enters the folder, deletes it, then starts sessionsync there, as a user's shell would.
    const inGoneFolder = (args: string[]) =>
      new Promise<{code: number; stderr: string}>((resolve) => {
        execFile('/bin/sh', ['-c', 'cd "$0" && rmdir "$0" && exec "$@"', gone, process.execPath, path.join(REPO, 'bin/run.js'), ...args], {env: {...env, PATH: process.env.PATH}}, (error, _stdout, stderr) => resolve({code: error ? Number(error.code) : 0, stderr}))
      })
    const relative = await inGoneFolder(['--agent', 'example'])
    expect(relative.code).to.equal(2)
    expect(unwrap(relative.stderr)).to.contain('the current folder no longer exists').and.to.contain('--output')
    // stats has no --output flag to suggest: it reads the default folder.
    mkdirSync(gone)
    const stats = await inGoneFolder(['stats', '--agent', 'example', '-w', workspace])
    expect(stats.code).to.equal(2)
    expect(unwrap(stats.stderr)).to.contain('so .sessions has nowhere to be: cd to an existing folder').and.not.to.contain('--output')
    mkdirSync(gone)
    const output = tempDir('sessionsync-out-')
    const absolute = await inGoneFolder(['--agent', 'example', '-w', workspace, '-o', output])
    expect(absolute.code, absolute.stderr).to.equal(0)
    expect(existsSync(path.join(output, RICH_MD))).to.equal(true)
  })

  it('keeps a hostile session id inside the output folder', async () => {
    const {env: hostileEnv, root: hostileRoot} = await sandbox()
    const hostile = {...fixtureSession('rich'), id: '../../x', title: '../../../etc/passwd'}
    writeExampleSessions(hostileEnv, [hostile, {...fixtureSession('empty'), id: '/abs/olute\u0000id', title: 'CON'}], hostileRoot)
    const output = path.join(hostileRoot, 'out')
    const result = await runCli(['--agent', 'example', '-w', hostileRoot, '-o', output], hostileEnv)
    expect(result.code, result.stderr).to.equal(0)
    const files = listFiles(hostileRoot).filter((file) => !file.startsWith('example-agent') && !file.startsWith('oclif') && !file.startsWith('home'))
    expect(files.every((file) => file.startsWith('out/')), files.join('\n')).to.equal(true)
    expect(files.filter((file) => file.startsWith('out/example/') && file.endsWith('.md'))).to.have.length(2)
  })

  it("does not follow a symlink out of the output folder: an agent's folder, or the record's, refused before anything is exported", async () => {
    for (const linked of ['example', '.sessionsync']) {
      const output = tempDir('sessionsync-out-')
      const outside = tempDir('sessionsync-outside-')
      symlinkSync(outside, path.join(output, linked))
      const result = await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
      expect(result.code, linked).to.equal(1)
      expect(result.stderr).to.contain('refusing to follow a symlink out of the output folder')
      expect(readdirSync(outside), linked).to.deep.equal([])
      if (linked === '.sessionsync') expect(readdirSync(output)).to.deep.equal(['.sessionsync'])
    }
  })

  it('stops on Ctrl-C after the sessions being written, keeping and recording them, and exits 130', async () => {
    const {env: slowEnv, exported, output, recorded, root: slowRoot} = await slowExport()
    const result = await runCli(['--agent', 'example', '-w', slowRoot, '-o', output], slowEnv, REPO, (child) => {
      const poll = setInterval(() => {
        if (exported().length === 0) return
        clearInterval(poll)
        child.kill('SIGINT')
      }, 20)
    })
    expect(result.code, result.stderr).to.equal(130)
    expect(result.stderr).to.contain('Stopping: the sessions being written are finished first')
    expect(result.stderr).to.match(/interrupted: \d+ sessions? exported in this run (is|are) kept and recorded/)
    expect(recorded()).to.equal(exported().length)
    expect(exported().length).to.be.below(12)
    expect(readdirSync(output, {recursive: true}).map(String).filter((name) => name.endsWith('.tmp'))).to.deep.equal([])
  })

  it('does not tell of the exports another run is still writing as of exports whose record was lost', async () => {
    const {env: slowEnv, exported, output, recorded, root: slowRoot} = await slowExport()
    const args = ['--agent', 'example', '-w', slowRoot, '-o', output, '--verbose']
    let unrecordedWhenStarted = 0
    let second: Promise<CliResult> | undefined
    // Another agent's hook at the same moment: it starts once the first run has written exports
    // that it has not recorded, and is done before the first run's sessions read in 1.5 s each are.
    const first = await runCli(args, {...slowEnv, EXAMPLE_READ_DELAY_MS: '1500'}, REPO, () => {
      const poll = setInterval(() => {
        if (exported().length === 0) return
        clearInterval(poll)
        unrecordedWhenStarted = exported().length - recorded()
        second = runCli(args, {...slowEnv, EXAMPLE_READ_DELAY_MS: '0'})
      }, 20)
    })
    const overlapping = await second!
    expect(unrecordedWhenStarted, 'exports not yet recorded when the second run started').to.be.above(0)
    expect(first.code, first.stderr).to.equal(0)
    expect(overlapping.code, overlapping.stderr).to.equal(0)
    expect(unwrap(overlapping.stderr)).to.match(/exports? in \S+ (was|were) not in its state \(another sessionsync run is writing there\): indexed/)
    expect(overlapping.stderr).to.not.contain('indexed again')
    expect(recorded()).to.equal(12)
    expect(existsSync(path.join(output, '.sessionsync/writing')), 'the runs leave no mark behind').to.equal(false)
  })

  it('stops the same way when its terminal closes (SIGHUP), though nothing can be written to it any more', async () => {
    const {env: slowEnv, exported, output, recorded, root: slowRoot} = await slowExport()
    // With --verbose, a line is written for each session: the writes after the close fail.
    const result = await runCli(['--agent', 'example', '-w', slowRoot, '-o', output, '--verbose'], slowEnv, REPO, (child) => {
      let closedAt = 0
      const poll = setInterval(() => {
        if (closedAt === 0 && exported().length > 0) {
          // As a closed terminal does: what the run writes from now on fails.
          child.stdout!.destroy()
          child.stderr!.destroy()
          closedAt = exported().length
        } else if (closedAt > 0 && exported().length > closedAt) {
          clearInterval(poll)
          // Two hangups, as a closing terminal can bring (one from it, one passed on by the shell).
          child.kill('SIGHUP')
          setTimeout(() => child.kill('SIGHUP'), 20)
        }
      }, 20)
    })
    expect(result.code).to.equal(130)
    expect(recorded()).to.equal(exported().length)
    expect(exported().length).to.be.below(12)
    expect(readFileSync(path.join(output, 'INDEX.md'), 'utf8').match(/^- /gm)).to.have.length(exported().length)
  })

  it('records what it wrote when its terminal is closed under it, though progress can no longer be drawn there', async function () {
    // `script` gives the run a terminal of its own (util-linux; Debian and most Linux have it).
    if (spawnSync('script', ['--version']).status !== 0) this.skip()
    const {env: slowEnv, exported, output, recorded, root: slowRoot} = await slowExport()
    const terminal = spawn('script', ['-qfc', `'${process.execPath}' '${BIN}' --agent example -w '${slowRoot}' -o '${output}' --verbose`, '/dev/null'], {env: {PATH: process.env.PATH, ...slowEnv}, stdio: 'ignore'})
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
    }

    await until(() => exported().length > 0)
    // The terminal goes away at once, as when its window is closed: the run is hung up, and
    // drawing its progress there fails.
    terminal.kill('SIGKILL')
    await until(() => recorded() > 0)
    expect(recorded(), 'the sessions written are recorded').to.be.above(0)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(recorded()).to.equal(exported().length)
    expect(exported().length).to.be.below(12)
  })

  it('says so when nothing is found for a workspace that does not exist, and only then', async () => {
    const missing = path.join(tempDir(), 'typo')
    const result = await runCli(['--agent', 'example', '-w', missing, '-o', tempDir('sessionsync-out-')], env)
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain(`No session found: the workspace ${missing} does not exist (is --workspace right?)`)
    const existing = await runCli(['--agent', 'example', '-w', tempDir(), '-o', tempDir('sessionsync-out-')], env)
    expect(existing.stderr).to.not.contain('does not exist')
  })

  it('tells, when it makes the output folder in a git work tree, that git would commit the exports', async function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip()
    const repository = tempDir()
    expect(spawnSync('git', ['init', '--quiet'], {cwd: repository}).status).to.equal(0)
    writeFileSync(path.join(repository, '.gitignore'), 'ignored/\n')
    const run = (folder: string) => runCli(['--agent', 'example', '-w', workspace, '-o', path.join(repository, folder)], env)
    const first = await run('.sessions')
    expect(unwrap(first.stderr)).to.contain(`Note: git would commit the exports in ${path.join(repository, '.sessions')}, which hold everything the agents saw and ran`)
    expect(first.stderr).to.contain('Add .sessions/ to .gitignore')
    // Once: the folder is there now, and keeping it or not was the user's choice.
    expect((await runCli(['--agent', 'example', '-w', workspace, '-o', path.join(repository, '.sessions'), '--force'], env)).stderr).not.to.contain('git would commit')
    expect((await run('ignored')).stderr).not.to.contain('git would commit')
    expect((await runCli(['--agent', 'example', '-w', workspace, '-o', path.join(tempDir(), '.sessions')], env)).stderr).not.to.contain('git would commit')
  })

  it('finding none of the workspace\'s sessions with the agents, says that their exports keep them', async () => {
    const folder = tempDir()
    const output = path.join(folder, '.sessions')
    writeExampleSessions(env, [fixtureSession('rich')], folder)
    await runCli(['--agent', 'example', '-w', folder, '-o', output], env)
    writeExampleSessions(env, [], folder)
    const result = await runCli(['--agent', 'example', '-w', folder, '-o', output], env)
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), fixtureSession('empty')], workspace)
    expect(unwrap(result.stderr)).to.contain(`The agents no longer have the sessions of ${folder}; 1 session of it is kept in the exports in ${output} (sessionsync list shows them).`)
    expect(result.stderr).not.to.contain('No session found')
  })

  it('finding no session in the workspace, names the folders that have some and leaves no output folder behind', async () => {
    const subfolder = path.join(workspace, 'src')
    mkdirSync(subfolder, {recursive: true})
    const output = path.join(tempDir(), '.sessions')
    const result = await runCli(['--agent', 'example', '-w', tempDir(), '-o', output], env)
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stderr).to.contain('The agents recorded sessions in this folder:\n')
    expect(result.stderr.split('\n')).to.include(`  ${workspace}  2 sessions (example), last active 2026-11-20`)
    expect(existsSync(output), 'output folder').to.equal(false)
    // A run in a subfolder of the project (the default workspace is the current folder).
    const inSubfolder = await runCli(['--agent', 'example', '-o', output], env, subfolder)
    expect(inSubfolder.stderr).to.contain(`No session found in ${subfolder}.`)
    expect(inSubfolder.stderr).to.match(/2 sessions \(example\), last active 2026-11-20 \(holds this folder\)\n/)
  })

  const claudeHistory = (root: string) => {
    const config = path.join(root, 'claude')
    cpSync(path.join(REPO, 'test/fixtures/claude/config'), config, {recursive: true})
    return config
  }

  it('refuses an empty --output or --workspace (an unset variable) rather than taking the current folder', async () => {
    const root = tempDir()
    for (const [flag, message] of [['-o', '--output was given an empty path'], ['-w', '--workspace was given an empty path']]) {
      const result = await runCli(['-a', 'claude', ...(flag === '-w' ? ['-o', 'out'] : ['-w', '/']), flag, ''], {CLAUDE_CONFIG_DIR: claudeHistory(root)}, root)
      expect(result.code, flag).to.equal(2)
      expect(unwrap(result.stderr)).to.contain(message)
    }

    expect(readdirSync(root)).to.deep.equal(['claude'])
  })

  it('stops at once, saying why, when the output folder cannot be made (a link that leads nowhere, a folder in /proc)', async () => {
    const root = tempDir()
    const dangling = path.join(root, 'exports')
    symlinkSync(path.join(root, 'gone'), dangling)
    const outputs = [path.join(dangling, 'sessions'), ...(existsSync('/proc/self') ? ['/proc/sessionsync-test'] : [])]
    const reasons = ['a file, or a link that leads nowhere, is in the way', 'the file system does not allow new folders there']
    for (const [index, output] of outputs.entries()) {
      // Node's mkdir -p spins forever in /proc: killed, should it come back.
      const result = await runCli(['-a', 'claude', '-w', '/', '-o', output], {CLAUDE_CONFIG_DIR: claudeHistory(root)}, root, (child) => setTimeout(() => child.kill('SIGKILL'), 20_000).unref())
      expect(result.code, output).to.equal(1)
      expect(unwrap(result.stderr)).to.contain(`cannot create the output folder ${output}: ${reasons[index]}`)
      expect(result.stderr, 'no warning per session').to.not.contain('was not exported')
    }
  })

  describe('as a user bound by file permissions (nobody, when the tests run as root)', () => {
    before(function () {
      if (!canRunUnprivileged()) this.skip()
    })

    it('stops at once, saying why, when the output folder may not be written', async () => {
      const root = tempDir()
      const locked = path.join(root, 'locked')
      mkdirSync(locked, {mode: 0o555})
      const result = await runCliUnprivileged(['-a', 'claude', '-w', '/', '-o', locked], {CLAUDE_CONFIG_DIR: claudeHistory(root)}, root)
      expect(result.code).to.equal(1)
      expect(unwrap(result.stderr)).to.contain(`cannot write into the output folder ${locked}: permission denied`)
      expect(result.stderr, 'no warning per session').to.not.contain('was not exported')
    })

    it('warns about a Claude Code project folder it may not list, and exports the others', async () => {
      const root = tempDir()
      const config = claudeHistory(root)
      chmodSync(path.join(config, 'projects', '-home-dev-app'), 0o000)
      const result = await runCliUnprivileged(['-a', 'claude', '-w', '/', '-o', path.join(unprivilegedFolder(root), 'out')], {CLAUDE_CONFIG_DIR: config}, root)
      chmodSync(path.join(config, 'projects', '-home-dev-app'), 0o755)
      expect(result.code, result.stderr).to.equal(1)
      expect(unwrap(result.stderr)).to.match(/-home-dev-app: cannot be listed \(EACCES[^)]*\), the sessions in it are skipped/)
      // The other project's session is found and written (its fixture holds a corrupt line: the second warning).
      expect(result.stdout, result.stderr).to.contain('1 found, 1 written, 0 up to date, 2 warnings')
    })
  })

  it('refuses an output folder that is a file, or lies below one, before reading anything', async () => {
    const file = path.join(tempDir('sessionsync-out-'), 'notes.txt')
    writeFileSync(file, 'a user file')
    for (const output of [file, path.join(file, 'exports', 'deeper')]) {
      const result = await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
      expect(result.code, output).to.equal(2)
      expect(unwrap(result.stderr)).to.contain(`--output ${output}: ${file} is a file, not a folder`)
    }
    expect(readFileSync(file, 'utf8')).to.equal('a user file')
  })

  it('reports a session that cannot be read, exports the rest and exits non-zero, warning when the agent is about to delete it', async () => {
    const {env: brokenEnv, root: brokenRoot} = await sandbox()
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString()
    writeExampleSessions(brokenEnv, [fixtureSession('rich'), {...fixtureSession('empty'), extra: {expiresAt: soon}, messages: [{role: 'wizard'}]} as never], brokenRoot)
    const result = await runCli(['--agent', 'example', '-w', brokenRoot, '-o', path.join(brokenRoot, 'out')], brokenEnv)
    expect(result.code).to.equal(1)
    expect(result.stderr).to.match(/session 0c0ffee0-0000-4000-8000-000000000000 .* was not exported: the reader produced an invalid session: messages\.0\./)
    expect(result.stdout).to.contain('2 found, 1 written, 0 up to date, 1 failed')
    expect(unwrap(result.stderr)).to.contain('1 session will be deleted by their agent within 7 days and could not be exported: see sessionsync list.')
  })

  it('notes an agent that is not installed in one line and succeeds', async () => {
    const result = await runCli(['--agent', 'claude', '-w', workspace, '-o', tempDir()], env)
    expect(result.code).to.equal(0)
    expect(result.stdout).to.match(/^  \S.*\s+not installed \(no data found\), skipped$/m)
  })

  it('rejects an unknown agent or format with the installed ones listed', async () => {
    const agent = await runCli(['--agent', 'nope'], env)
    expect(agent.code).to.equal(2)
    expect(unwrap(agent.stderr)).to.contain('unknown agent "nope"').and.to.contain('example')
    const format = await runCli(['--format', 'docx'], env)
    expect(unwrap(format.stderr)).to.contain('unknown format "docx"').and.to.contain('csv, json, markdown, toon')
  })

  it('uses a third-party writer like a built-in one', async () => {
    const {output} = await sync(['--format', 'csv'])
    const csv = readFileSync(path.join(output, RICH_MD.replace(/\.md$/, '.csv')), 'utf8')
    expect(csv.split('\n')[0]).to.equal('role,type,content')
    expect(csv).to.contain('"assistant","tool_call","Bash"')
  })

  it('front matter parses as YAML with the session metadata', async () => {
    const {output} = await sync([])
    const markdown = readFileSync(path.join(output, RICH_MD), 'utf8')
    const meta = parseYaml(markdown.split('---\n')[1])
    expect(meta).to.include({agent: 'example', branch: 'fix/upload', messages: 8, tool_calls: 3})
  })

  it('--help lists the commands and says that sessionsync alone runs sync', async () => {
    const {stdout} = await runCli(['--help'], env)
    for (const command of ['sync', 'plugins']) expect(stdout).to.match(new RegExp(`^  ${command}\\s`, 'm'))
    expect(stdout.replaceAll(/\s+/g, ' ')).to.contain('Without a command, sessionsync runs sync')
    // sync's own help says where to start reading an export.
    const sync = await runCli(['sync', '--help'], env)
    expect(sync.stdout.replaceAll(/\s+/g, ' ')).to.contain('INDEX.md (for people and agents: a line per session,')
  })

  it('names the flags that leave things out as they are typed, in --help and in shell completion', async () => {
    const typed = ['--no-subagents', '--no-tools', '--no-thinking', '--no-attachments']
    const help = await runCli(['sync', '--help'], env)
    for (const flag of typed) expect(help.stdout).to.match(new RegExp(`^  ${flag}\\s`, 'm'))
    expect(help.stdout).not.to.contain('[no-]tools')
    const cache = tempDir('sessionsync-completion-')
    const completion = await runCli(['autocomplete', 'bash'], {...env, SESSIONSYNC_CACHE_DIR: cache})
    expect(completion.code).to.equal(0)
    const bash = readFileSync(path.join(cache, 'autocomplete/functions/bash/sessionsync.bash'), 'utf8')
    const syncLine = bash.split('\n').find((line) => line.startsWith('sync '))!.split(' ')
    expect(syncLine).to.include.members(typed)
    expect(syncLine).not.to.include('--tools')
    const searchLine = bash.split('\n').find((line) => line.startsWith('search '))!.split(' ')
    expect(searchLine).to.include.members(['--no-tools', '--no-thinking'])
  })
})

function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder, {withFileTypes: true})
    .flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]))
    .filter((file) => !file.includes('.sessionsync/'))
    .sort()
}

/**
 * Twelve sessions for the example agent, each read in 300 ms (with `EXAMPLE_READ_DELAY_MS`), to
 * stop an export midway: the sessions exported so far, and those its state file records.
 */
async function slowExport() {
  const {env, root} = await sandbox()
  const many = Array.from({length: 12}, (_, index) => ({...fixtureSession('rich'), id: `5e551011-0000-4000-8000-0000000000${String(index).padStart(2, '0')}`}))
  writeExampleSessions(env, many, root)
  const output = path.join(root, 'out')
  const stateFile = path.join(output, '.sessionsync/state.json')
  return {
    env: {...env, EXAMPLE_READ_DELAY_MS: '300'},
    exported: () => (existsSync(path.join(output, 'example')) ? readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md')) : []),
    output,
    recorded: () => (existsSync(stateFile) ? Object.keys(JSON.parse(readFileSync(stateFile, 'utf8')).sessions).length : 0),
    root,
  }
}
