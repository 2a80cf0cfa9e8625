import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Session} from '../../src/model/session.js'
import {fixtureSession, REPO, sandbox, writeExampleSessions} from '../helpers/cli.js'

describe('sessionsync sync --watch (a real process)', () => {
  for (const [signal, what] of [['SIGINT', 'on Ctrl-C'], ['SIGHUP', 'when its terminal closes']] as const) it(`exports, keeps the export current, and stops cleanly ${what}`, async () => {
    const {env, root, workspace} = await sandbox()
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    const output = path.join(root, 'out')
    const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), '--agent', 'example', '-w', workspace, '-o', output, '--watch', '--debounce', '50'], {env: {PATH: process.env.PATH, ...env}})
    let stdout = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await until(() => stdout.includes('Watching for changes'), 10_000)
      writeExampleSessions(env, [{...fixtureSession('rich'), summary: 'Edited while watching'}], workspace)
      await until(() => /updated example\/\S+\.md/.test(stdout), 5000)
      const file = /updated (example\/\S+\.md)/.exec(stdout)![1]
      expect(readFileSync(path.join(output, file), 'utf8')).to.contain('summary: Edited while watching')
      child.kill(signal)
      expect(await exited).to.equal(0)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

describe('sessionsync watch: what it says', () => {
  it('gives a problem that each export of a session repeats once, not at every change', async () => {
    const {env, root, workspace} = await sandbox()
    // A session its reader cannot give in the model: each export of it fails the same way.
    const sessions = (pass: number) => [{...fixtureSession('rich'), summary: `Pass ${pass}`}, {...fixtureSession('rich'), id: 'b0b0b0b0-0000-4000-8000-000000000001', messages: 'not a list', title: `Broken ${pass}`} as unknown as Session]
    writeExampleSessions(env, sessions(0), workspace)
    const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), 'watch', '--agent', 'example', '-w', workspace, '-o', path.join(root, 'out'), '--debounce', '50'], {env: {PATH: process.env.PATH, ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await until(() => stdout.includes('Watching for changes'), 10_000)
      const updates = () => stdout.match(/updated example\//g)?.length ?? 0
      for (const pass of [1, 2]) {
        const before = updates()
        // Rewritten in place, as an agent writes: the folder stays, and so does the watch on it.
        for (const [index, session] of sessions(pass).entries()) writeFileSync(path.join(env.EXAMPLE_AGENT_HOME!, `00${index}.json`), JSON.stringify({...session, workspace}))
        await until(() => updates() > before, 10_000)
      }

      child.kill('SIGINT')
      expect(await exited).to.equal(0)
      expect(stderr.match(/session b0b0b0b0-0000-4000-8000-000000000001 \(.*\) was not exported/g)).to.have.length(1)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

async function until(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`not seen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}
