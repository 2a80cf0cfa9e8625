import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {watchUntilStopped} from '../../src/commands/watch.js'
import type {Session} from '../../src/model/session.js'
import type {Log} from '../../src/pipeline/plan.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import type {Contribution} from '../../src/plugin-api.js'
// @ts-expect-error: the example plugin is plain JavaScript, like many third-party plugins
import registerExample from '../fixtures/plugins/sessionsync-plugin-example/register.js'
import {fixtureSession, REPO, sandbox, tempDir, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('sessionsync sync --watch (a real process)', () => {
  for (const [signal, what] of [['SIGINT', 'on Ctrl-C'], ['SIGHUP', 'when its terminal closes']] as const) it(`exports, keeps the export current, and stops cleanly ${what}`, async () => {
    const {env, root, workspace} = await sandbox()
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    const output = path.join(root, 'out')
    const {child, exited, printed} = startCli(['--agent', 'example', '-w', workspace, '-o', output, '--watch', '--debounce', '50'], env)
    try {
      await until(() => printed.stdout.includes('Watching for changes'), 10_000)
      writeExampleSessions(env, [{...fixtureSession('rich'), summary: 'Edited while watching'}], workspace)
      await until(() => /updated example\/\S+\.md/.test(printed.stdout), 5000)
      // Each line says when: a watch runs all day.
      const file = /^\d{2}:\d{2}:\d{2} updated (example\/\S+\.md)$/m.exec(printed.stdout)![1]
      expect(readFileSync(path.join(output, file), 'utf8')).to.contain('summary: Edited while watching')
      child.kill(signal)
      expect(await exited).to.equal(0)
      // Waiting for changes, it was writing nothing: nothing to finish first.
      if (signal === 'SIGINT') expect(printed.stderr).to.contain('Stopping.').and.not.contain('finished first')
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe('watching until stopped', () => {
  it('hears SIGTERM while the watcher starts (it may be exporting then), and stops', async () => {
    const root = tempDir()
    const env = {EXAMPLE_AGENT_HOME: path.join(root, 'agent'), HOME: root}
    writeExampleSessions(env, [fixtureSession('rich')], root)
    const [reader] = ((await registerExample()) as Contribution).readers!
    const signalledWhileLocating = {
      ...reader,
      async locate(ctx: Parameters<typeof reader.locate>[0]) {
        process.emit('SIGTERM', 'SIGTERM')
        return reader.locate(ctx)
      },
    }
    const options = {
      attachments: true, branch: null, cacheDir: null, env, force: false, maxOutputChars: null, output: path.join(root, 'out'), outputSalt: {core: 'test', readers: {}, writer: 'a-writer@1.0.0'},
      readerOptions: {}, readers: [signalledWhileLocating], redact: false, subagents: true, thinking: true, tools: true, workspaces: null, writer: markdownWriter,
    }
    const printed: string[] = []
    const log: Log = {debug() {}, info() {}, warn() {}}
    await watchUntilStopped(options, 50, log, (line) => printed.push(line))
    expect(printed).to.deep.equal([])
  })
})

describe('sessionsync watch: what it says', () => {
  it('gives a problem that each export of a session repeats once, not at every change', async () => {
    const {env, root, workspace} = await sandbox()
    // A session its reader cannot give in the model: each export of it fails the same way.
    const sessions = (pass: number) => [{...fixtureSession('rich'), summary: `Pass ${pass}`}, {...fixtureSession('rich'), id: 'b0b0b0b0-0000-4000-8000-000000000001', messages: 'not a list', title: `Broken ${pass}`} as unknown as Session]
    writeExampleSessions(env, sessions(0), workspace)
    const {child, exited, printed} = startCli(['watch', '--agent', 'example', '-w', workspace, '-o', path.join(root, 'out'), '--debounce', '50'], env)
    try {
      await until(() => printed.stdout.includes('Watching for changes'), 10_000)
      const updates = () => printed.stdout.match(/updated example\//g)?.length ?? 0
      for (const pass of [1, 2]) {
        const before = updates()
        // Rewritten in place, as an agent writes: the folder stays, and so does the watch on it.
        for (const [index, session] of sessions(pass).entries()) writeFileSync(path.join(env.EXAMPLE_AGENT_HOME!, `00${index}.json`), JSON.stringify({...session, workspace}))
        await until(() => updates() > before, 10_000)
      }

      child.kill('SIGINT')
      expect(await exited).to.equal(0)
      expect(printed.stderr.match(/session b0b0b0b0-0000-4000-8000-000000000001 \(.*\) was not exported/g)).to.have.length(1)
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('tells a second watch into the same folder who watches it already', async () => {
    const {env, root, workspace} = await sandbox()
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    const args = ['watch', '--agent', 'example', '-w', workspace, '-o', path.join(root, 'out'), '--debounce', '50']
    const first = startCli(args, env)
    const running = [first]
    try {
      await until(() => first.printed.stdout.includes('Watching for changes'), 10_000)
      const second = startCli(args, env)
      running.push(second)
      await until(() => second.printed.stdout.includes('Watching for changes'), 10_000)
      expect(unwrap(second.printed.stderr)).to.contain(`sessionsync process ${first.child.pid} watches ${path.join(root, 'out')} already`)
      expect(first.printed.stderr).to.not.contain('already')
    } finally {
      for (const {child} of running) child.kill('SIGKILL')
    }
  })
})

/** sessionsync started as a process of its own, what it prints gathered as it comes. */
function startCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {env: {PATH: process.env.PATH, ...env}})
  const printed = {stderr: '', stdout: ''}
  child.stdout.on('data', (chunk) => (printed.stdout += chunk))
  child.stderr.on('data', (chunk) => (printed.stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {child, exited, printed}
}

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
