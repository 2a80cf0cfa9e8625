import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {routeToDefaultCommand} from '../../src/default-command.js'
import {EXAMPLE_PLUGIN, fixtureSession, runCli, sandbox, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('default command', () => {
  it('routes a bare invocation or one starting with a flag to sync', () => {
    expect(routeToDefaultCommand([])).to.deep.equal(['sync'])
    expect(routeToDefaultCommand(['--agent', 'claude', '-f', 'json'])).to.deep.equal(['sync', '--agent', 'claude', '-f', 'json'])
    expect(routeToDefaultCommand(['-v'])).to.deep.equal(['sync', '-v'])
  })

  it('leaves commands and the top-level help and version alone', () => {
    for (const argv of [['list', '--json'], ['--help'], ['-h'], ['--version'], ['plugins', 'install', 'x']]) expect(routeToDefaultCommand(argv)).to.deep.equal(argv)
  })

  it('routes a path given without a command to sync, which says to give it with -w', () => {
    for (const folder of ['/home/dev/app', './app', '..', '.', '~/code/app', 'C:\\code\\app']) expect(routeToDefaultCommand([folder, '-a', 'pi'])).to.deep.equal(['sync', folder, '-a', 'pi'])
  })

  it('refuses a word after a command that takes flags only, pointing a folder to -w; -h is help', async () => {
    const {env, workspace} = await sandbox()
    for (const argv of [[workspace], ['sync', workspace], ['list', workspace, '-a', 'example']]) {
      const result = await runCli(argv, env)
      expect(result.code, argv.join(' ')).to.equal(2)
      expect(unwrap(result.stderr)).to.contain(`unexpected argument ${workspace}: for the sessions of that folder, give it with --workspace: sessionsync ${argv[0] === 'list' ? 'list' : 'sync'} -w ${workspace}`)
    }

    // A folder named without a path, where no command has its name.
    const named = await runCli([path.basename(workspace), '-a', 'example'], env, path.dirname(workspace))
    expect(named.code).to.equal(2)
    expect(unwrap(named.stderr)).to.contain(`unexpected argument ${path.basename(workspace)}: for the sessions of that folder, give it with --workspace: sessionsync sync -w ${path.basename(workspace)}`)
    const stray = await runCli(['stats', 'tokens', 'bytes'], env)
    expect(stray.code).to.equal(2)
    expect(unwrap(stray.stderr)).to.contain('unexpected arguments tokens bytes: sessionsync stats takes flags only (sessionsync stats --help)')
    for (const argv of [['-h'], ['list', '-h']]) {
      const help = await runCli(argv, env)
      expect(help.code, argv.join(' ')).to.equal(0)
      expect(help.stdout).to.contain('USAGE')
    }
  })

  it('refuses --debounce on a sync that does not watch, where it would mean nothing', async () => {
    const {env, workspace} = await sandbox()
    const result = await runCli(['--debounce', '50', '-a', 'example', '-w', workspace, '-o', path.join(workspace, 'out')], env)
    expect(result.code).to.equal(2)
    expect(unwrap(result.stderr)).to.contain('--debounce applies only with --watch')
  })

  it('says that a mistyped command is none, and where the commands are listed', async () => {
    const {env} = await sandbox()
    const result = await runCli(['serch', 'upload'], env)
    expect(result.code).to.equal(127)
    expect(unwrap(result.stderr)).to.contain('serch upload is not a sessionsync command.').and.to.contain('Run sessionsync help for a list of available commands.')
  })
})

describe('plugins', () => {
  it('links a third-party plugin whose reader and writer are then offered, and uninstalls it', async () => {
    const {env} = await sandbox()
    const listed = await runCli(['plugins'], env)
    expect(listed.stdout).to.contain('sessionsync-plugin-example 1.0.0 (link)')
    expect(unwrap((await runCli(['--agent', 'nope'], env)).stderr)).to.contain('Installed: claude, example, opencode, pi, or all')

    const removed = await runCli(['plugins', 'uninstall', EXAMPLE_PLUGIN], env)
    expect(removed.code, removed.stderr).to.equal(0)
    const after = await runCli(['--agent', 'example', '--format', 'csv'], env)
    expect(after.code).to.equal(2)
    expect(unwrap(after.stderr)).to.contain('unknown agent "example". Installed: claude, opencode, pi, or all.')
  })

  it("asks each plugin for its readers and writers once per run", async () => {
    const {env, root, workspace} = await sandbox()
    const log = path.join(root, 'register.log')
    const synced = await runCli(['--workspace', workspace, '--output', path.join(root, 'out')], {...env, EXAMPLE_REGISTER_LOG: log})
    expect(synced.code, synced.stderr).to.equal(0)
    expect(readFileSync(log, 'utf8')).to.equal('registered\n')
  })

  it("fails the sessions of a writer that returns something else than text, naming the plugin and what it returned", async () => {
    const {env, root, workspace} = await sandbox()
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    const broken = {...env, EXAMPLE_CSV_RETURNS_NUMBER: '1'}
    const message = 'the csv writer of plugin sessionsync-plugin-example returned 42 from render, where text is due'
    const synced = await runCli(['-f', 'csv', '-w', workspace, '-o', path.join(root, 'out')], broken)
    expect(synced.code).to.equal(1)
    expect(unwrap(synced.stderr)).to.contain(`was not exported: ${message}`)
    const shown = await runCli(['show', fixtureSession('rich').id, '-f', 'csv'], broken)
    expect(shown.code).to.equal(1)
    expect(unwrap(shown.stderr)).to.contain(`Error: ${message}`)
  })
})
