import {expect} from 'chai'
import type {Block} from '../../src/model/session.js'
import {countsOf, factsOf} from '../../src/pipeline/facts.js'
import {shapeContent} from '../../src/pipeline/transform.js'
import {fixtureSession} from '../helpers/cli.js'

describe('what the index keeps of a session', () => {
  it('counts the calls of each tool, the most called first, then by name', () => {
    const call = (name: string): Block => ({id: name, input: {}, name, subagentId: null, type: 'tool_call'})
    const session = {...fixtureSession('empty'), messages: [{blocks: ['Read', 'Bash', 'Edit', 'Bash', 'Read', 'Bash'].map(call), id: null, model: null, role: 'assistant' as const, timestamp: null, usage: null}]}
    expect(Object.entries(countsOf(session).tools)).to.deep.equal([['Bash', 3], ['Read', 2], ['Edit', 1]])
    expect(countsOf(session)).to.deep.include({messages: 1, toolCalls: 6})
    expect(countsOf(fixtureSession('empty'))).to.deep.equal({messages: 0, ownTools: {}, toolCalls: 0, tools: {}})
  })

  it("counts a fork's own tool calls apart from those it copied, which its original counts already", () => {
    const call = (name: string): Block => ({id: name, input: {}, name, subagentId: null, type: 'tool_call'})
    const message = (...names: string[]) => ({blocks: names.map(call), id: null, model: null, role: 'assistant' as const, timestamp: null, usage: null})
    const fork = {...fixtureSession('empty'), copiedMessages: 2, forkedFrom: 'original', messages: [message('Read', 'Bash'), message('Bash'), message('Edit', 'Bash')]}
    expect(countsOf(fork)).to.deep.include({ownTools: {Bash: 1, Edit: 1}, toolCalls: 5, tools: {Bash: 3, Edit: 1, Read: 1}})
  })

  it('keeps the counts of the session as read, not of its export without tools', () => {
    const rich = fixtureSession('rich')
    const lean = shapeContent(rich, {attachments: true, maxOutputChars: null, redact: false, thinking: false, tools: false})
    const facts = factsOf(lean, countsOf(rich))
    expect(facts).to.deep.include({messages: 8, models: rich.models, ownTools: {Bash: 1, Read: 1, Task: 1}, toolCalls: 3, tools: {Bash: 1, Read: 1, Task: 1}, usage: rich.usage})
  })
})
