import {expect} from 'chai'
import {copyFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {opencodeReader} from '../../../plugins/reader-opencode/src/reader.js'
import type {Session} from '../../../src/model/session.js'
import {SessionSchema} from '../../../src/model/session.js'
import {REPO, tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'
import {PIXEL_PNG} from './opencode-home.js'
import {blocksOf, callEnds, callOutcomes} from '../../helpers/session.js'

/** The database a real OpenCode 1.18.33 wrote in the conformance suite: main (continued), its subagent, a fork, another. */
const SAMPLE = path.join(REPO, 'test/agents/samples/opencode/opencode.db')
const MAIN = 'ses_deebf4acaffe8e1t6heWrpVXlh'
const CHILD = 'ses_deebf4397ffehZ88ewrkN5Rwn4'
const FORK = 'ses_deebf3568ffec06LZYniybm5JL'
const OTHER = 'ses_deebf2cd7ffebztZgvPp1tNhrc'

describe('OpenCode reader: sessions written by OpenCode 1.18.33', () => {
  const sessions = new Map<string, Session>()

  before(async () => {
    const root = tempDir('sessionsync-opencode-real-')
    mkdirSync(path.join(root, 'opencode'))
    copyFileSync(SAMPLE, path.join(root, 'opencode', 'opencode.db'))
    const ctx = readerContext({HOME: '/nonexistent-home', XDG_DATA_HOME: root})
    for await (const ref of opencodeReader.discover(await opencodeReader.locate(ctx), ctx)) {
      sessions.set(ref.id, SessionSchema.parse(await opencodeReader.read(ref, ctx)))
    }

    expect(ctx.warnings).to.deep.equal([])
  })

  it('reads every session, the prompts without the quotes of the command line', () => {
    expect([...sessions.keys()].sort()).to.deep.equal([CHILD, FORK, MAIN, OTHER].sort())
    const prompts = sessions
      .get(MAIN)!
      .messages.filter((message) => message.role === 'user')
      .flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])))
    expect(prompts).to.deep.equal(['[[conformance:main]] Exercise every tool once, then summarise.', '[[conformance:continue]] Continue: which branch are we on?'])
  })

  it('pairs every tool call of the main session with its result and error flag', () => {
    const main = sessions.get(MAIN)!
    expect(callOutcomes(main)).to.deep.equal([
      ['bash', false],
      ['read', false],
      ['read', true],
      ['read', false],
      ['write', false],
      ['bash', true],
      ['task', false],
      ['bash', false],
    ])
    const failing = blocksOf(main, 'tool_result').find((result) => result.output.includes('conformance-missing-dir'))!
    expect(failing.output).to.equal("ls: cannot access '/conformance-missing-dir': No such file or directory\n")
    const image = blocksOf(main, 'attachment')
    expect(image).to.deep.equal([{data: PIXEL_PNG, kind: 'image', mimeType: 'image/png', name: null, path: null, type: 'attachment'}])
  })

  it("gives each call how it ended: a command's exit code, and the time from the call's start to its end", () => {
    expect(callEnds(sessions.get(MAIN)!)).to.deep.equal([
      ['bash', 'ok', 0, 70],
      ['read', 'ok', null, 15],
      ['read', 'error', null, 11],
      ['read', 'ok', null, 36],
      ['write', 'ok', null, 14],
      ['bash', 'error', 2, 21],
      ['task', 'ok', null, 210],
      ['bash', 'ok', 0, 61],
    ])
  })

  it('links the subagent to the task call that started it', () => {
    const child = sessions.get(CHILD)!
    const task = blocksOf(sessions.get(MAIN)!, 'tool_call').find((call) => call.name === 'task')!
    expect(task.subagentId).to.equal(CHILD)
    expect(child).to.include({parentId: MAIN, parentToolCallId: task.id})
  })

  it('reads the fork as a session of its own, numbered in extra, linked to the session its messages were copied from', () => {
    const fork = sessions.get(FORK)!
    const main = sessions.get(MAIN)!
    expect(fork).to.include({forkedFrom: MAIN, parentId: null, title: 'Conformance session (fork #1)'})
    expect(fork.extra.fork).to.equal(1)
    expect(main).to.include({copiedMessages: null, forkedFrom: null})
    // The copies get new ids but keep their times and content; the fork's own prompt follows them.
    expect(fork.copiedMessages).to.equal(main.messages.length)
    expect(fork.messages.slice(0, fork.copiedMessages!).map((message) => message.timestamp)).to.deep.equal(main.messages.map((message) => message.timestamp))
    expect(JSON.stringify(fork.messages[fork.copiedMessages!].blocks)).to.include('[[conformance:fork]]')
    // The file its copies wrote was the original's doing.
    expect(fork.filesChanged).to.deep.equal([])
    expect(blocksOf(fork, 'text').map((block) => block.text)).to.include('The forked session answers differently.')
  })

  it('lists the file the session wrote, once though both the write call and the step record it', () => {
    expect(sessions.get(MAIN)?.filesChanged).to.deep.equal(['/tmp/conformance/opencode/workspace/notes/written-by-agent.txt'])
    expect(sessions.get(CHILD)?.filesChanged).to.deep.equal([])
  })

  it('sums the usage of the assistant messages and takes the version', () => {
    const main = sessions.get(MAIN)!
    expect(main.usage).to.deep.equal({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 1200, outputTokens: 300, reasoningTokens: 0})
    // A scripted model OpenCode has no price for: each call costs 0, as a free model's would.
    const replies = main.messages.filter((message) => message.usage !== null)
    expect(replies.every((message) => message.role === 'assistant')).to.equal(true)
    expect(replies.map((message) => message.usage)).to.deep.equal(replies.map(() => ({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, inputTokens: 120, outputTokens: 30, reasoningTokens: 0})))
    expect(replies).to.have.length(10)
    expect(main.source.agentVersion).to.equal('1.18.33')
    expect(main.models).to.deep.equal(['scripted/scripted-model'])
  })
})
