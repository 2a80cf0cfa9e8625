import {expect} from 'chai'
import type {Block, Session} from '../../src/model/session.js'
import {shapeContent, shapedAgain, shapingOf} from '../../src/pipeline/transform.js'
import {truncateMiddle} from '../../src/pipeline/truncate.js'
import {fixtureSession} from '../helpers/cli.js'

const all = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}

describe('shaping the exported content', () => {
  it('keeps everything by default and does not change the session it was given', () => {
    const rich = fixtureSession('rich')
    const copy = structuredClone(rich)
    expect(shapeContent(rich, all)).to.deep.equal(rich)
    shapeContent(rich, {...all, maxOutputChars: 100, thinking: false, tools: false})
    expect(rich).to.deep.equal(copy)
  })

  it("says what a session shaped again lacks: what its export or the new options left out, cut at the shorter, redacted by either", () => {
    const unshaped = shapingOf(all)
    const exported = shapingOf({...all, maxOutputChars: 500, redact: true, tools: false})
    expect(shapedAgain(unshaped, null)).to.deep.equal(unshaped)
    expect(shapedAgain(unshaped, exported)).to.deep.equal(exported)
    expect(shapedAgain(shapingOf({...all, attachments: false, maxOutputChars: 200, thinking: false}), exported)).to.deep.equal({attachments: false, maxOutputChars: 200, redacted: true, thinking: false, tools: false})
    expect(shapedAgain(shapingOf({...all, maxOutputChars: 2000}), exported).maxOutputChars).to.equal(500)
  })

  it('drops messages left empty by an exclusion', () => {
    const shaped = shapeContent(fixtureSession('rich'), {...all, tools: false})
    // The second assistant message holds only the call that started a subagent, which stays.
    expect(shaped.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'assistant', 'system', 'user', 'assistant'])
  })

  it('without tools, drops the images a tool returned with its result, but keeps those the user attached', () => {
    const image = (name: string): Block => ({data: 'iVBORw0KGgo=', kind: 'image', mimeType: 'image/png', name, path: null, type: 'attachment'})
    const session: Session = {
      ...fixtureSession('empty'),
      messages: [
        {blocks: [{text: 'What is wrong here?', type: 'text'}, image('pasted.png')], id: 'u1', model: null, role: 'user', timestamp: null, usage: null},
        {blocks: [{callId: 'read-1', durationMs: null, exitCode: null, isError: false, output: '', status: 'ok', type: 'tool_result'}, image('read.png'), {text: 'Looked at it.', type: 'text'}, image('after-text.png')], id: 't1', model: null, role: 'tool', timestamp: null, usage: null},
      ],
    }
    const names = (shaped: Session) => shaped.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'attachment' ? [block.name] : [])))
    expect(names(shapeContent(session, {...all, tools: false}))).to.deep.equal(['pasted.png', 'after-text.png'])
    expect(names(shapeContent(session, all))).to.deep.equal(['pasted.png', 'read.png', 'after-text.png'])
  })

  it('without tools, keeps a call that started a subagent, as the link to its session, and drops its result', () => {
    const session: Session = {
      ...fixtureSession('empty'),
      messages: [
        {blocks: [{id: 'task-1', input: {description: 'Find the timers'}, name: 'Task', subagentId: 'agent-7', type: 'tool_call'}, {id: 'read-1', input: {path: 'a.ts'}, name: 'Read', subagentId: null, type: 'tool_call'}], id: 'a1', model: null, role: 'assistant', timestamp: null, usage: null},
        {blocks: [{callId: 'task-1', durationMs: null, exitCode: null, isError: false, output: 'Found three timers.', status: 'ok', type: 'tool_result'}], id: 't1', model: null, role: 'tool', timestamp: null, usage: null},
      ],
    }
    const shaped = shapeContent(session, {...all, tools: false})
    expect(shaped.messages.flatMap((message) => message.blocks)).to.deep.equal([session.messages[0].blocks[0]])
  })

  it("counts a fork's copied messages again when an exclusion drops some of them", () => {
    // The first five messages (user, assistant, tool, a subagent's call alone, tool) are copies.
    const fork = {...fixtureSession('rich'), copiedMessages: 5, forkedFrom: 'original'}
    expect(shapeContent(fork, {...all, tools: false}).copiedMessages).to.equal(3)
    expect(shapeContent(fork, all).copiedMessages).to.equal(5)
    expect(shapeContent(fixtureSession('rich'), {...all, tools: false}).copiedMessages).to.equal(null)
  })

  it('cuts long tool outputs in the middle with a marker saying how much was cut', () => {
    const output = `${'a'.repeat(5000)}MIDDLE${'z'.repeat(5000)}`
    const cut = truncateMiddle(output, 300)
    expect(cut.startsWith('a'.repeat(200) + '\n[… 9,706 of 10,006 characters cut by sessionsync (--max-output-chars 300) …]\n')).to.equal(true)
    expect(cut.endsWith('\n' + 'z'.repeat(100))).to.equal(true)
    expect(cut).not.to.contain('MIDDLE')
    expect(truncateMiddle('short', 300)).to.equal('short')
  })

  it('never splits a character made of two UTF-16 units', () => {
    const cut = truncateMiddle('😀'.repeat(400), 301)
    expect(cut).not.to.match(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
  })

  it('applies --max-output-chars to tool results only', () => {
    const shaped = shapeContent(fixtureSession('rich'), {...all, maxOutputChars: 100})
    const blocks = shaped.messages.flatMap((message) => message.blocks)
    const long = blocks.find((block) => block.type === 'tool_result' && block.callId === 'toolu_01')
    expect(long?.type === 'tool_result' && long.output).to.contain('characters cut by sessionsync')
    const text = blocks.find((block) => block.type === 'text')
    expect(text?.type === 'text' && text.text).to.contain('Here is the log')
  })
})
