import {expect} from 'chai'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {piReader} from '../../plugins/reader-pi/src/reader.js'
import type {Session} from '../../src/model/session.js'
import type {Reader} from '../../src/plugin-api.js'
import {readChecked} from '../../src/pipeline/export-session.js'
import {withUnfinishedCalls} from '../../src/pipeline/unfinished-calls.js'
import {fixtureSession, REPO, runCli, tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'
import {blocksOf} from '../helpers/session.js'

const SAMPLES = path.join(REPO, 'test/agents/samples')
const UNFINISHED = {durationMs: null, exitCode: null, isError: true, output: '', status: 'unfinished', type: 'tool_result'}

/** A session whose assistant message makes two calls, the first answered in the next message. */
function twoCalls(): Session {
  return {
    ...fixtureSession('empty'),
    messages: [
      {
        blocks: [
          {text: 'Building, then testing.', type: 'text'},
          {id: 'call_build', input: {command: 'make'}, name: 'Bash', subagentId: null, type: 'tool_call'},
          {id: 'call_test', input: {command: 'make test'}, name: 'Bash', subagentId: null, type: 'tool_call'},
        ],
        id: 'a1',
        model: null,
        role: 'assistant',
        timestamp: null,
        usage: null,
      },
      {blocks: [{callId: 'call_build', durationMs: 40, exitCode: 0, isError: false, output: 'built\n', status: 'ok', type: 'tool_result'}], id: 't1', model: null, role: 'tool', timestamp: null, usage: null},
    ],
  }
}

/** The lines of a real session file up to its first tool call: the agent was stopped, or still runs it. */
function cutAfterFirstCall(source: string, target: string): void {
  const lines = readFileSync(source, 'utf8').split('\n')
  const call = lines.findIndex((line) => line.includes('"type":"tool_use"') || line.includes('"type":"toolCall"'))
  mkdirSync(path.dirname(target), {recursive: true})
  writeFileSync(target, `${lines.slice(0, call + 1).join('\n')}\n`)
}

async function readOnly(reader: Reader, env: NodeJS.ProcessEnv): Promise<Session> {
  const ctx = readerContext(env)
  const refs = []
  for await (const ref of reader.discover(await reader.locate(ctx), ctx)) refs.push(ref)
  expect(refs).to.have.length(1)
  const read = await readChecked(reader, refs[0], ctx)
  if ('error' in read) throw new Error(read.error)
  return read.session
}

describe('a call without a result', () => {
  it('is given one that says it did not finish, right after it; an answered call is left as it is', () => {
    const session = twoCalls()
    const marked = withUnfinishedCalls(session)
    expect(marked.messages[0].blocks.map((block) => block.type)).to.deep.equal(['text', 'tool_call', 'tool_call', 'tool_result'])
    expect(marked.messages[0].blocks[3]).to.deep.equal({...UNFINISHED, callId: 'call_test'})
    expect(marked.messages[1]).to.equal(session.messages[1])
    expect(session.messages[0].blocks, 'the session read is not changed').to.have.length(3)
  })

  it('leaves a session whose every call has its result as it is', () => {
    const session = fixtureSession('rich')
    expect(withUnfinishedCalls(session)).to.equal(session)
  })

  it('of a real Claude Code session still running its first command is unfinished when read', async () => {
    const config = tempDir('sessionsync-unfinished-claude-')
    const name = 'f6ca3445-9328-436a-810d-33c2929c3720.jsonl'
    cutAfterFirstCall(path.join(SAMPLES, 'claude/projects/-tmp-conformance-claude-workspace', name), path.join(config, 'projects/-tmp-conformance-claude-workspace', name))
    const session = await readOnly(claudeReader, {CLAUDE_CONFIG_DIR: config, HOME: '/nonexistent-home'})
    const [call] = blocksOf(session, 'tool_call')
    expect(blocksOf(session, 'tool_result')).to.deep.equal([{...UNFINISHED, callId: call.id}])
  })

  it('of a real Pi 1.6.0 session still running its first command is unfinished when read, and shown so in Markdown', async () => {
    const root = tempDir('sessionsync-unfinished-pi-')
    const name = '--tmp-conformance-pi-1-workspace--/2026-12-02T06-20-16-553Z_01a23569-3329-700a-954d-8b984c426211.jsonl'
    cutAfterFirstCall(path.join(SAMPLES, 'pi-1/sessions', name), path.join(root, 'agent/sessions', name))
    const env = {HOME: path.join(root, 'home'), PI_CODING_AGENT_DIR: path.join(root, 'agent'), SESSIONSYNC_CACHE_DIR: path.join(root, 'cache')}
    const session = await readOnly(piReader, env)
    const [call] = blocksOf(session, 'tool_call')
    expect(call.input).to.deep.equal({command: 'echo conformance-shell-ok'})
    expect(blocksOf(session, 'tool_result')).to.deep.equal([{...UNFINISHED, callId: call.id}])

    const result = await runCli(['sync', '-a', 'pi', '-w', '/tmp/conformance/pi-1/workspace', '-o', path.join(root, 'out')], env)
    expect(result.code, result.stderr).to.equal(0)
    const [file] = readdirSync(path.join(root, 'out/pi')).filter((entry) => entry.endsWith('.md'))
    const markdown = readFileSync(path.join(root, 'out/pi', file), 'utf8')
    expect(markdown).to.include('**Tool: bash**\n\n```yaml\ncommand: echo conformance-shell-ok\n```\n\n_Did not finish: (empty)_')
  })
})
