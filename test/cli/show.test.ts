import {expect} from 'chai'
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fromExportDocument} from '../../src/model/export-document.js'
import {fixtureSession, REPO, runCli, sandbox, tempDir, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('sessionsync show', () => {
  let env: NodeJS.ProcessEnv
  let workspace: string
  const rich = fixtureSession('rich')
  const twin = {...fixtureSession('empty'), id: '7f3c2a10-ffff-4000-8000-000000000009', title: 'Same start of id'}
  const fork = {...rich, copiedMessages: rich.messages.length, forkedFrom: rich.id, id: 'f0f0f0f0-0000-4000-8000-000000000001'}
  const call = (id: string) => ({id, input: {command: 'npm test'}, name: 'Bash', subagentId: null, type: 'tool_call' as const})
  const ended = {
    ...fixtureSession('empty'),
    id: 'e0e0e0e0-0000-4000-8000-000000000001',
    messages: [
      {blocks: [call('c1'), call('c2')], id: 'a1', model: null, role: 'assistant' as const, timestamp: null, usage: null},
      {
        blocks: [
          {callId: 'c1', durationMs: 850, exitCode: 1, isError: true, output: '1 failing\n', status: 'error' as const, type: 'tool_result' as const},
          {callId: 'c2', durationMs: 4240, exitCode: null, isError: true, output: 'PASS a.test.ts\n', status: 'interrupted' as const, type: 'tool_result' as const},
        ],
        id: 't1',
        model: null,
        role: 'tool' as const,
        timestamp: null,
        usage: null,
      },
    ],
  }

  // A screenshot tool's result: an image and no text.
  const screenshot = {
    ...fixtureSession('empty'),
    id: 'e1e1e1e1-0000-4000-8000-000000000001',
    messages: [
      {blocks: [{id: 's1', input: {}, name: 'screenshot', subagentId: null, type: 'tool_call' as const}], id: 'a1', model: null, role: 'assistant' as const, timestamp: null, usage: null},
      {
        blocks: [
          {callId: 's1', durationMs: null, exitCode: null, isError: false, output: '', status: 'ok' as const, type: 'tool_result' as const},
          {data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', kind: 'image' as const, mimeType: 'image/png', name: 'screen.png', path: null, type: 'attachment' as const},
        ],
        id: 't1',
        model: null,
        role: 'tool' as const,
        timestamp: null,
        usage: null,
      },
    ],
  }

  before(async () => {
    ;({env, workspace} = await sandbox())
    writeExampleSessions(env, [rich, fixtureSession('subagent'), twin, fork, ended, screenshot], workspace)
  })

  const show = (...args: string[]) => runCli(['show', '--agent', 'example', ...args], env, workspace)

  it('prints one session as Markdown, from any folder, with links to the exports of its subagents and of a fork\'s original', async () => {
    await runCli(['sync', '--agent', 'example', '-w', workspace], env, workspace)
    const result = await show('7f3c2a10-4b5e')
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.match(/^---\nagent: example\nid: 7f3c2a10-4b5e-4c1d-9a8b-0123456789ab\n/)
    expect(result.stdout).to.contain('\n# Fix the flaky upload test — ünïcödé 日本語\n')
    expect(result.stdout).to.contain('Subagent session: [agent-a1b2c3d](.sessions/example/2026-11-20-fix-the-flaky-upload-test-%C3%BCn%C3%AFc%C3%B6d%C3%A9-%E6%97%A5%E6%9C%AC%E8%AA%9E-7f3c2a10/2026-11-20-search-for-timers-a1b2c3d.md)')
    const forked = await show('f0f0f0f0')
    expect(forked.stdout).to.contain('Forked from [7f3c2a10-4b5e-4c1d-9a8b-0123456789ab](.sessions/example/2026-11-20-fix-the-flaky-upload-test-%C3%BCn%C3%AFc%C3%B6d%C3%A9-%E6%97%A5%E6%9C%AC%E8%AA%9E-7f3c2a10.md)')
    // Images are not printed, and stderr says so.
    expect(result.stdout).not.to.contain('iVBORw0KGgo').and.not.to.contain('screenshot.png')
    expect(result.stderr).to.contain('2 images or files not printed: sessionsync sync writes them beside the export.')
    expect(result.stdout).to.contain('\nleft_out:\n  - attachments\n')
    // One without images had nothing left out.
    expect((await show('a1b2c3d')).stdout).to.not.contain('left_out')
  })

  it('labels each result with how its call ended, as the Markdown export does', async () => {
    const result = await show('e0e0e0e0')
    expect(result.stdout).to.contain('Error (exit 1, 1 line)\n\n```\n1 failing\n```').and.to.contain('Interrupted (4.2 s, 1 line)\n\n```\nPASS a.test.ts\n```')
  })

  it('says a call whose only output was an image returned one, which it does not print, rather than that its output was empty', async () => {
    const result = await show('e1e1e1e1')
    expect(result.stdout).to.contain('**Tool: screenshot**\n\n_Output: an image, left out of this export_').and.not.to.contain('(empty)')
  })

  it('prints it in the format asked for, shaped by the same options as sync', async () => {
    const json = await show('a1b2c3d', '-f', 'json', '--no-tools')
    const session = fromExportDocument(JSON.parse(json.stdout))
    expect(session.id).to.equal('agent-a1b2c3d')
    expect(session.messages.flatMap((message) => message.blocks).some((block) => block.type === 'tool_call' || block.type === 'tool_result')).to.equal(false)
  })

  it('names the sessions an id could mean, and says when none has it', async () => {
    const ambiguous = await show('7f3c2a10')
    expect(ambiguous.code).to.equal(2)
    expect(unwrap(ambiguous.stderr)).to.contain('7f3c2a10 is the start of the ids of 2 sessions; give more of it:').and.to.contain('Same start of id')
    const missing = await show('deadbeef')
    expect(missing.code).to.equal(1)
    // Looked for among one agent's sessions: said, as the session may be another's.
    expect(unwrap(missing.stderr)).to.contain('no example session has the id deadbeef (sessionsync list -w / -a example shows them all)').and.not.to.contain('--session')
    const everywhere = await runCli(['show', 'deadbeef'], env, workspace)
    expect(unwrap(everywhere.stderr)).to.contain('no session has the id deadbeef (sessionsync list -w / shows them all)')
  })

  it('shows control characters as symbols on a terminal, and prints them as they are into a pipe, also from an export', async function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip()
    const hostile = {...fixtureSession('empty'), id: 'cccccccc-0000-4000-8000-000000000001', messages: [{blocks: [{text: 'before \u001B[2J cleared', type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}]}
    writeExampleSessions(env, [hostile], workspace)
    expect((await show('cccccccc')).stdout).to.contain('before \u001B[2J cleared')
    // `script` gives the command a terminal of its own, and copies what it prints.
    const command = [process.execPath, path.join(REPO, 'bin/run.js'), 'show', 'cccccccc', '--agent', 'example'].map((word) => `'${word}'`).join(' ')
    const onTerminal = spawnSync('script', ['--quiet', '--return', '--command', command, '/dev/null'], {cwd: workspace, encoding: 'utf8', env: {PATH: process.env.PATH, ...env}})
    expect(onTerminal.stdout).to.contain('before \u241B[2J cleared').and.not.to.contain('\u001B[2J')

    // The same from its Markdown export, once the agent no longer has it: into a pipe, its bytes as they are.
    const folder = tempDir()
    writeExampleSessions(env, [{...hostile, id: 'dddddddd-0000-4000-8000-000000000001'}], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    expect((await runCli(['show', 'dddddddd', '--agent', 'example'], env, folder)).stdout).to.contain('before \u001B[2J cleared')
    const fromExport = spawnSync('script', ['--quiet', '--return', '--command', command.replace('cccccccc', 'dddddddd'), '/dev/null'], {cwd: folder, encoding: 'utf8', env: {PATH: process.env.PATH, ...env}})
    expect(fromExport.stdout).to.contain('before \u241B[2J cleared').and.not.to.contain('\u001B[2J')
  })

  it('prints a session the agent no longer has from its export: a JSON one in the format asked for, another as written', async () => {
    const folder = tempDir()
    const gone = {...rich, id: '90e90e90-0000-4000-8000-000000000001'}
    writeExampleSessions(env, [gone], folder)
    const exportAs = (format: string) => runCli(['sync', '--agent', 'example', '-w', folder, '-f', format], env, folder)
    await exportAs('markdown')
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const asWritten = await runCli(['show', '90e90e90', '--agent', 'example', '-f', 'toon'], env, folder)
    expect(asWritten.code, asWritten.stderr).to.equal(0)
    expect(asWritten.stdout).to.equal(readFileSync(path.join(folder, '.sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.md'), 'utf8'))
    expect(unwrap(asWritten.stderr)).to.contain('The agent no longer has this session: this is its markdown export, .sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.md, as it was written.')

    writeExampleSessions(env, [gone], folder)
    await exportAs('json')
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const reshaped = await runCli(['show', '90e90e90', '--agent', 'example', '--no-tools'], env, folder)
    expect(reshaped.stdout).to.match(/^---\nagent: example\nid: 90e90e90-0000-4000-8000-000000000001\n/)
    expect(reshaped.stdout).to.contain('Done: the test now uses fake timers.').and.not.to.contain('**Tool: Bash**')
    expect(unwrap(reshaped.stderr)).to.contain('The agent no longer has this session: it is read from its export .sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.json.')
  })

  it('prints a JSON export that is not a document it reads as it is, and says why: cut short, or of a version it does not read', async () => {
    const folder = tempDir()
    writeExampleSessions(env, [{...rich, id: '90e90e90-0000-4000-8000-000000000003'}], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder, '-f', 'json'], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const exported = '.sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.json'
    const whole = readFileSync(path.join(folder, exported), 'utf8')
    const half = whole.slice(0, Math.floor(whole.length / 2))
    writeFileSync(path.join(folder, exported), half)
    const cut = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
    expect(cut.code, cut.stderr).to.equal(0)
    expect(cut.stdout).to.equal(half)
    expect(unwrap(cut.stderr)).to.contain(`The agent no longer has this session, and its json export ${exported} does not read as a session document (cut short, or changed since it was written): here it is as it was written.`)
    const newer = whole.replace('"schemaVersion": 5,', '"schemaVersion": 6,')
    writeFileSync(path.join(folder, exported), newer)
    const fromNewer = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
    expect(fromNewer.stdout).to.equal(newer)
    expect(unwrap(fromNewer.stderr)).to.contain(`its json export ${exported} is a document of version 6, from a newer sessionsync (this one reads versions 3 to 5): here it is as it was written.`)
    writeFileSync(path.join(folder, exported), whole.replace('"schemaVersion": 5,', '"schemaVersion": 2,'))
    const fromOlder = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
    expect(unwrap(fromOlder.stderr)).to.contain(`its json export ${exported} is a document of version 2, from an older sessionsync (this one reads versions 3 to 5): here it is as it was written.`)
  })

  it('gives the counts of the session as read from its JSON export made without its tools, and says what that export left out', async () => {
    const folder = tempDir()
    writeExampleSessions(env, [{...rich, id: '90e90e90-0000-4000-8000-000000000002'}], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder, '-f', 'json', '--no-tools'], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const shown = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
    expect(shown.stdout).to.contain('\nmessages: 8\ntool_calls: 3\ntools:\n  Bash: 1\n  Read: 1\n  Task: 1\nleft_out:\n  - tool calls\n').and.not.to.contain('**Tool: Bash**')
  })

  it('prints the Markdown export of a session the agent no longer has with its secrets replaced under --redact', async () => {
    const folder = tempDir()
    const leak = {blocks: [{text: 'the key AKIAIOSFODNN7EXAMPLE deploys', type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}
    writeExampleSessions(env, [{...rich, id: '90e90e90-0000-4000-8000-000000000004', messages: [...rich.messages, leak]}], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const asWritten = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
    expect(asWritten.stdout).to.contain('the key AKIAIOSFODNN7EXAMPLE deploys')
    const redacted = await runCli(['show', '90e90e90', '--agent', 'example', '--redact'], env, folder)
    expect(redacted.stdout).to.equal(asWritten.stdout.replace('AKIAIOSFODNN7EXAMPLE', '[REDACTED:aws-access-key]'))
    expect(unwrap(redacted.stderr)).to.contain('-90e90e90.md, as it was written, its secrets replaced.')
  })

  it('says so when the export of a session the agent no longer has cannot be read: deleted, or a folder in its place', async () => {
    const folder = tempDir()
    const gone = {...rich, id: '90e90e90-0000-4000-8000-000000000003'}
    writeExampleSessions(env, [gone], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const exports = path.join(folder, '.sessions/example')
    const exported = path.join(exports, readdirSync(exports).find((name) => name.endsWith('-90e90e90.md'))!)
    for (const [inPlace, put] of [['nothing', () => rmSync(exported)], ['a folder', () => mkdirSync(exported)]] as const) {
      put()
      const shown = await runCli(['show', '90e90e90', '--agent', 'example'], env, folder)
      expect(shown.code, inPlace).to.equal(1)
      expect(shown.stdout, inPlace).to.equal('')
      expect(unwrap(shown.stderr), inPlace).to.contain('The agent no longer has this session, and its export').and.to.match(/90e90e90\.md cannot be read/)
    }
  })

  it('stops quietly when the program reading it goes away (| head)', async () => {
    const long = {...fixtureSession('empty'), id: 'bbbbbbbb-0000-4000-8000-000000000001', messages: [{blocks: [{text: 'many words '.repeat(500_000), type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}]}
    writeExampleSessions(env, [long], workspace)
    const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), 'show', 'bbbbbbbb', '--agent', 'example'], {cwd: workspace, env: {PATH: process.env.PATH, ...env}})
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const [code] = await new Promise<[number | null]>((resolve) => {
      child.on('close', (exitCode) => resolve([exitCode]))
    })
    expect(code).to.equal(0)
    expect(stderr).not.to.match(/EPIPE|Error/)
  })
})
