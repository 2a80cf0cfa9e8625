import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {tempDir} from '../../helpers/cli.js'
import {claudeContext, FIXTURE, readSession, SESSION, transcript} from './helpers.js'

const SIDE_QUESTION_FILE = path.join('projects', '-home-dev-app', SESSION.v21, 'subagents', 'agent-aside_question-8e2f4a91c07b5d36.jsonl')

describe('Claude Code reader: its own side calls (compaction, prompt suggestion, /btw)', function () {
  it('shows a /btw side question and its answer at the time it was asked, not the conversation its call replays', async function () {
    const session = await readSession(SESSION.v21)
    const asked = session.messages.findIndex((message) => message.blocks.some((block) => block.type === 'event' && block.kind === 'side_question'))
    expect(session.messages[asked]).to.deep.include({
      blocks: [
        {kind: 'side_question', text: 'Which test runner does this project use?', type: 'event'},
        {kind: 'side_question_answer', text: 'It uses vitest.', type: 'event'},
      ],
      model: 'claude-sonnet-4-5-20250929',
      role: 'system',
      timestamp: '2026-03-02T09:00:27.050Z',
    })
    // Asked while the subagent ran: after the call that started it, before its result.
    expect(session.messages[asked - 1].blocks.map((block) => block.type)).to.deep.equal(['tool_call'])
    expect(session.messages[asked + 1].blocks.map((block) => block.type)).to.deep.equal(['tool_result'])
    expect(transcript(session).filter((line) => line.startsWith('user: '))).to.deep.equal(['user: /review src/upload.ts', 'user: Thanks.'])
    expect(session.messages.filter((message) => message.role === 'assistant')).to.have.length(3)
  })

  it('gives the side question its own call\'s tokens, and counts every side call\'s own tokens in the session\'s, none of the replayed ones', async function () {
    const session = await readSession(SESSION.v21)
    const asked = session.messages.find((message) => message.role === 'system' && message.blocks[0]?.type === 'event' && message.blocks[0].kind === 'side_question')!
    expect(asked.usage).to.deep.equal({cacheReadTokens: 2400, cacheWriteTokens: 0, costUsd: null, inputTokens: 3, outputTokens: 12, reasoningTokens: 0})
    // The conversation's three replies, then the side question, the compaction and the prompt suggestion.
    expect(session.usage).to.deep.equal({cacheReadTokens: 2400 + 3100 + 3050, cacheWriteTokens: 0, costUsd: null, inputTokens: 900 + 900 + 1500 + 3 + 5 + 4, outputTokens: 120 + 40 + 25 + 12 + 300 + 7, reasoningTokens: 0})
  })

  it('shows a side question whose answer never came, without tokens', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const file = path.join(config, SIDE_QUESTION_FILE)
    writeFileSync(file, readFileSync(file, 'utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n')
    const session = await readSession(SESSION.v21, claudeContext(config))
    const asked = session.messages.find((message) => message.id === 'aaaa0000-0026-4000-8000-0000000000b1')!
    expect(asked).to.deep.include({blocks: [{kind: 'side_question', text: 'Which test runner does this project use?', type: 'event'}], model: null, usage: null})
    expect(session.usage).to.deep.include({inputTokens: 900 + 900 + 1500 + 5 + 4})
  })

  it('reads a side call file it cannot make sense of without failing', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    writeFileSync(path.join(config, SIDE_QUESTION_FILE), '{"type":"something-new"}\nnot json\n')
    const session = await readSession(SESSION.v21, claudeContext(config))
    expect(session.messages.some((message) => message.blocks.some((block) => block.type === 'event' && block.kind === 'side_question'))).to.equal(false)
    expect(session.usage).to.deep.include({inputTokens: 900 + 900 + 1500 + 5 + 4})
  })
})
