import {expect} from 'chai'
import type {Block} from '../../src/model/session.js'
import {factsOf, toolCounts} from '../../src/pipeline/facts.js'
import {fixtureSession} from '../helpers/cli.js'

describe('what the index keeps of a session', () => {
  it('counts the calls of each tool, the most called first, then by name', () => {
    const call = (name: string): Block => ({id: name, input: {}, name, subagentId: null, type: 'tool_call'})
    const session = {...fixtureSession('empty'), messages: [{blocks: ['Read', 'Bash', 'Edit', 'Bash', 'Read', 'Bash'].map(call), id: null, model: null, role: 'assistant' as const, timestamp: null}]}
    expect(Object.entries(toolCounts(session))).to.deep.equal([['Bash', 3], ['Read', 2], ['Edit', 1]])
    expect(factsOf(session)).to.deep.include({toolCalls: 6, tools: {Bash: 3, Edit: 1, Read: 2}})
    expect(factsOf(fixtureSession('empty'))).to.deep.include({toolCalls: 0, tools: {}})
  })
})
