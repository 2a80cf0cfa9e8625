import {expect} from 'chai'
import type {Block, Session} from '../../src/model/session.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {type ContentOptions, shapeContent, shapingOf} from '../../src/pipeline/transform.js'
import {fixtureSession} from '../helpers/cli.js'

/** A call per result, in one assistant message, answered by one tool message holding `results`. */
function sessionWith(calls: string[], results: Block[]): Session {
  return {
    ...fixtureSession('empty'),
    messages: [
      {blocks: calls.map((name, index) => ({id: `call_${index}`, input: {}, name, subagentId: null, type: 'tool_call'})), id: 'a1', model: null, role: 'assistant', timestamp: null, usage: null},
      {blocks: results, id: 't1', model: null, role: 'tool', timestamp: null, usage: null},
    ],
  }
}

const result = (index: number, output: string): Block => ({callId: `call_${index}`, durationMs: null, exitCode: null, isError: false, output, status: 'ok', type: 'tool_result'})

const KEPT: ContentOptions = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}

/** The session as an export made with `options` gets it, rendered by `writer`. */
function exported(read: Session, options: ContentOptions, writer = markdownWriter): string {
  return writer.render(shapeContent(read, options), renderContext(() => null, countsOf(read), shapingOf(options)))
}

describe('what a tool returned besides its text', () => {
  it('shows the calls a tool made itself under the call, not as a turn of their own', () => {
    const nested: Block = {kind: 'nested_calls', text: '- grep `{"pattern":"TODO"}`: ok, 42 ms', type: 'event'}
    const markdown = exported(sessionWith(['code'], [result(0, '3 TODOs'), nested]), KEPT)
    expect(markdown.match(/^## /gm)).to.have.length(1)
    expect(markdown).to.match(/\*\*Tool: code\*\*[\s\S]*3 TODOs[\s\S]*\*\*Nested calls\*\*\n\n- grep `\{"pattern":"TODO"\}`: ok, 42 ms/)
  })
})
