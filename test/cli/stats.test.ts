import {expect} from 'chai'
import {encode} from 'gpt-tokenizer/encoding/o200k_base'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import path from 'node:path'
import {fixtureSession, REPO, runCli, sandbox, tempDir, writeExampleSessions} from '../helpers/cli.js'

describe('sessionsync stats', () => {
  it('counts bytes and real tokens of every format, per session and in total', async () => {
    const {env, workspace} = await sandbox()
    const subagent = {...fixtureSession('subagent'), workspace}
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent')], workspace)
    const result = await runCli(['stats', '--agent', 'example', '-w', workspace, '--json'], env)
    expect(result.code, result.stderr).to.equal(0)
    const stats = JSON.parse(result.stdout)
    expect(stats.formats).to.deep.equal(['csv', 'json', 'markdown', 'toon', 'markdown-lean', 'text'])
    const child = stats.sessions.find((session: {id: string}) => session.id === 'agent-a1b2c3d')
    const json = jsonWriter.render(subagent, renderContext(() => null, countsOf(subagent)))
    expect(child.formats.json).to.deep.equal({bytes: Buffer.byteLength(json), tokens: encode(json).length})
    for (const format of stats.formats) {
      const total = stats.sessions.reduce((sum: number, session: {formats: Record<string, {tokens: number}>}) => sum + session.formats[format].tokens, 0)
      expect(stats.total[format].tokens, format).to.equal(total)
    }

    // TOON writes the message and block tables a line a row: on a session rich in structure
    // (tool calls, results, events) that is at least 40% fewer tokens than the same JSON.
    const rich = stats.sessions.find((session: {id: string}) => session.id === fixtureSession('rich').id)
    expect(rich.formats.toon.tokens).to.be.at.most(0.6 * rich.formats.json.tokens)
    expect(stats.total.toon.tokens).to.be.lessThan(stats.total.json.tokens)
    expect(stats.total['markdown-lean'].tokens).to.be.lessThan(stats.total.markdown.tokens)
    // The strings alone: less than the formats that keep every field, and every word counted.
    for (const format of ['json', 'toon']) expect(stats.total.text.tokens, format).to.be.lessThan(stats.total[format].tokens)
    const childText = [subagent.title, ...subagent.messages.flatMap((message) => message.blocks.map((block) => ('text' in block ? block.text : 'output' in block ? block.output : '')))].filter(Boolean)
    expect(child.formats.text.bytes).to.be.greaterThan(childText.join('').length)
  })

  it('measures a session that quotes a special token of the tokenizer', async () => {
    const {env, workspace} = await sandbox()
    const session = fixtureSession('rich')
    const quoting = {...session, messages: [{...session.messages[0], blocks: [{text: 'Why does the model stop at <|endoftext|>?', type: 'text' as const}]}]}
    writeExampleSessions(env, [quoting], workspace)
    const result = await runCli(['stats', '--agent', 'example', '-w', workspace, '--json'], env)
    expect(result.code, result.stderr).to.equal(0)
    const [measured] = JSON.parse(result.stdout).sessions
    expect(measured.id).to.equal(session.id)
    expect(measured.formats.markdown.tokens).to.be.greaterThan(0)
  })

  it('finds TOON at least 40% leaner than JSON on what the real agents wrote', async () => {
    const samples = path.join(REPO, 'test/agents/samples')
    const root = tempDir()
    const env = {
      CLAUDE_CONFIG_DIR: path.join(samples, 'claude'),
      HOME: path.join(root, 'home'),
      OPENCODE_DB: path.join(samples, 'opencode', 'opencode.db'),
      PI_CODING_AGENT_DIR: path.join(samples, 'pi'),
      SESSIONSYNC_CACHE_DIR: path.join(root, 'cache'),
    }
    const result = await runCli(['stats', '--workspace', '/', '--json'], env)
    expect(result.code, result.stderr).to.equal(0)
    const {sessions} = JSON.parse(result.stdout) as {sessions: Array<{agent: string; formats: Record<string, {tokens: number}>}>}
    for (const agent of ['claude', 'opencode', 'pi']) {
      const tokens = (format: string) => sessions.filter((session) => session.agent === agent).reduce((sum, session) => sum + session.formats[format].tokens, 0)
      expect(tokens('json'), agent).to.be.greaterThan(0)
      expect(tokens('toon'), agent).to.be.at.most(0.6 * tokens('json'))
    }
  })
})
