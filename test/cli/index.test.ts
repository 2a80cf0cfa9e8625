import {expect} from 'chai'
import {cpSync, existsSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {INDEX_SCHEMA_VERSION, IndexDocumentSchema} from '../../src/model/index-document.js'
import type {Session} from '../../src/model/session.js'
import {fixtureSession, REPO, runCli, sandbox, tempDir, writeExampleSessions} from '../helpers/cli.js'
import {builtSchema, schemaErrors} from '../helpers/json-schema.js'

describe('the session index (INDEX.md and index.json)', () => {
  let env: NodeJS.ProcessEnv
  let workspace: string

  before(async () => {
    ;({env, workspace} = await sandbox())
  })

  const untitled: Session = {
    ...fixtureSession('empty'),
    createdAt: '2026-11-22T08:00:00.000Z',
    id: 'b0b0b0b0-1111-4222-8333-444455556666',
    messages: [
      {blocks: [{text: '   ', type: 'text'}], id: 'm0', model: null, role: 'user', timestamp: null, usage: null},
      {blocks: [{text: 'Add a   dark mode\nto the settings page', type: 'text'}], id: 'm1', model: null, role: 'user', timestamp: null, usage: null},
    ],
    updatedAt: '2026-11-22T09:00:00.000Z',
  }

  it('lists every exported session newest first, subagents under their parent, with working links', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), untitled], workspace)
    await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
    const index = readFileSync(path.join(output, 'INDEX.md'), 'utf8')
    const lines = index.split('\n').filter((line) => /^\s*- /.test(line))
    expect(lines).to.have.length(3)
    expect(lines[0]).to.match(/^- 2026-11-22 · example · - · \[Add a dark mode to the settings page\]\(example\/2026-11-22-b0b0b0b0\.md\) · 2 msgs, 0 tool calls, 1 KB$/)
    expect(lines[1]).to.match(/^- 2026-11-20 · example · fix\/upload · \[Fix the flaky upload test — ünïcödé 日本語\]\(.*\) · 8 msgs, 3 tool calls, \d+ KB — Made the upload test deterministic\.$/)
    expect(lines[2]).to.match(/^ {2}- 2026-11-20 · example · fix\/upload · \[Search for timers\]/)
    for (const [, link] of index.matchAll(/\]\(([^)]+)\)/g)) expect(existsSync(path.join(output, decodeURI(link))), link).to.equal(true)

    const json = JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8'))
    expect(json.sessions.map((session: {id: string}) => session.id)).to.deep.equal([untitled.id, fixtureSession('rich').id, 'agent-a1b2c3d'])
    expect(json.sessions[1]).to.deep.include({branch: 'fix/upload', messages: 8, toolCalls: 3, tools: {Bash: 1, Read: 1, Task: 1}})
    expect(json.sessions[1].files.markdown).to.match(/^example\/2026-11-20-fix-the-flaky/)
    // The size an agent sees before opening a session: that of the file the line links to.
    const bytes = statSync(path.join(output, json.sessions[1].files.markdown)).size
    expect(json.sessions[1].bytes).to.deep.equal({markdown: bytes})
    expect(lines[1]).to.contain(`, 3 tool calls, ${Math.round(bytes / 1024)} KB — `)
  })

  it('names the session a fork was copied from, linked when it was exported, with how many messages are new, and counts one as one', async () => {
    const output = tempDir('sessionsync-out-')
    const original = fixtureSession('rich')
    const oneCall = original.messages.find((message) => message.blocks.some((block) => block.type === 'tool_call'))!
    const fork: Session = {...original, forkedFrom: original.id, id: 'c1c1c1c1-1111-4222-8333-444455556666', messages: [{...oneCall, blocks: oneCall.blocks.filter((block) => block.type === 'tool_call').slice(0, 1)}], updatedAt: '2026-11-21T00:00:00.000Z'}
    const orphan: Session = {...fork, copiedMessages: 0, forkedFrom: 'd2d2d2d2-0000-4000-8000-000000000000', id: 'e3e3e3e3-1111-4222-8333-444455556666', updatedAt: '2026-11-19T00:00:00.000Z'}
    writeExampleSessions(env, [original, fork, orphan], workspace)
    await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
    const index = readFileSync(path.join(output, 'INDEX.md'), 'utf8')
    expect(index).to.contain('3 exported sessions, newest first')
    const forkLine = index.split('\n').find((line) => line.includes('c1c1c1c1'))!
    expect(forkLine).to.match(/ · 1 msg, 1 tool call, 1 KB · fork of \[[0-9a-f]{8}\]\((example\/2026-11-20-fix-the-flaky[^)]+)\)/)
    expect(existsSync(path.join(output, decodeURI(forkLine.match(/fork of \[[^\]]+\]\(([^)]+)\)/)![1])))).to.equal(true)
    expect(forkLine).to.not.contain('new msg')
    expect(index.split('\n').find((line) => line.includes('e3e3e3e3'))).to.contain(' · fork of d2d2d2d2, 1 new msg — ')

    const json = JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8'))
    const forkedFrom = Object.fromEntries(json.sessions.map((session: {forkedFrom: string | null; id: string}) => [session.id, session.forkedFrom]))
    expect(forkedFrom).to.deep.equal({[fork.id]: original.id, [orphan.id]: orphan.forkedFrom, [original.id]: null})
    expect(json.sessions.find((session: {id: string}) => session.id === orphan.id).copiedMessages).to.equal(0)
  })

  it('names the first files a session changed, by their path in its workspace, and index.json all of them', async () => {
    const output = tempDir('sessionsync-out-')
    const files = ['src/a.ts', 'src/b.ts', 'README.md', 'docs/c.md'].map((file) => path.join(workspace, file))
    const rich = fixtureSession('rich')
    // A paste of 1.3 MB: the size is given in MB from 1 MB on.
    const paste = {blocks: [{text: 'x'.repeat(1_300_000), type: 'text' as const}], id: 'paste', model: null, role: 'user' as const, timestamp: null, usage: null}
    writeExampleSessions(env, [{...rich, filesChanged: [...files, '/etc/hosts'], messages: [...rich.messages, paste]}], workspace)
    await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
    const line = readFileSync(path.join(output, 'INDEX.md'), 'utf8').split('\n').find((candidate) => candidate.startsWith('- '))!
    expect(line).to.contain(' · 9 msgs, 3 tool calls, 1.2 MB · changed src/a.ts, src/b.ts, README.md +2 more — ')
    const json = JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8'))
    expect(json.sessions[0]).to.deep.include({filesChanged: [...files, '/etc/hosts'], workspace})
  })

  it('names each session\'s project folder when the sessions are of several, the same whoever syncs (not ~ for their own home)', async () => {
    const output = tempDir('sessionsync-out-')
    const subagentless = {...fixtureSession('rich'), id: 'f4f4f4f4-1111-4222-8333-444455556666'}
    writeExampleSessions(env, [fixtureSession('rich'), subagentless], (index) => (index === 0 ? workspace : path.join(workspace, 'packages', 'api')))
    await runCli(['--agent', 'example', '-w', workspace, '-o', output], {...env, HOME: path.dirname(workspace)})
    const index = readFileSync(path.join(output, 'INDEX.md'), 'utf8')
    const shown = workspace
    expect(index).to.contain('Each line: day of the last activity (UTC) · agent · project folder · branch · ')
    expect(index.split('\n').find((line) => line.includes('7f3c2a10'))).to.contain(` · example · ${shown} · fix/upload · `)
    expect(index.split('\n').find((line) => line.includes('f4f4f4f4'))).to.contain(` · example · ${path.join(shown, 'packages', 'api')} · fix/upload · `)
  })

  it('writes index.json of its schemaVersion, which its JSON Schema and its zod schema take, from the sessions of Claude Code and Pi', async () => {
    const root = tempDir()
    const [claude, pi] = [path.join(root, 'claude'), path.join(root, 'pi')]
    cpSync(path.join(REPO, 'test/fixtures/claude/config'), claude, {recursive: true})
    cpSync(path.join(REPO, 'test/fixtures/pi/sessions'), path.join(pi, 'sessions'), {recursive: true})
    const output = path.join(root, 'out')
    for (const agent of ['claude', 'pi']) {
      const result = await runCli(['sync', '-a', agent, '-w', '/home/dev/app', '-o', output], {...env, CLAUDE_CONFIG_DIR: claude, PI_CODING_AGENT_DIR: pi})
      expect(result.code, result.stderr).to.equal(0)
    }

    const index = JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8'))
    expect(Object.keys(index)).to.deep.equal(['sessions', 'schemaVersion'])
    expect(index.schemaVersion).to.equal(INDEX_SCHEMA_VERSION)
    expect(new Set(index.sessions.map((session: {agent: string}) => session.agent))).to.deep.equal(new Set(['claude', 'pi']))
    expect(index.sessions.some((session: {usage: unknown}) => session.usage !== null), 'a session with usage').to.equal(true)
    expect(schemaErrors(builtSchema('schema/index.schema.json'), index)).to.deep.equal([])
    expect(IndexDocumentSchema.parse(index)).to.deep.equal(index)
  })

  it('is brought up to date by the next sync, and lists every format exported', async () => {
    const output = tempDir('sessionsync-out-')
    writeExampleSessions(env, [fixtureSession('rich')], workspace)
    await runCli(['--agent', 'example', '-w', workspace, '-o', output], env)
    writeExampleSessions(env, [fixtureSession('rich'), untitled], workspace)
    await runCli(['--agent', 'example', '-w', workspace, '-o', output, '-f', 'json'], env)
    const json = JSON.parse(readFileSync(path.join(output, 'index.json'), 'utf8'))
    expect(json.sessions).to.have.length(2)
    expect(Object.keys(json.sessions[1].files).sort()).to.deep.equal(['json', 'markdown'])
    expect(readFileSync(path.join(output, 'INDEX.md'), 'utf8')).to.contain('(example/2026-11-22-b0b0b0b0.json)')
  })
})
