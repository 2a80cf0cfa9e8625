import {expect} from 'chai'
import type {Block, Session} from '../../src/model/session.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {attachmentsLeftOut, type ContentOptions, shapeContent, shapingOf} from '../../src/pipeline/transform.js'
import {fixtureSession} from '../helpers/cli.js'

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

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
const image = (name: string): Block => ({data: PNG, kind: 'image', mimeType: 'image/png', name, path: null, type: 'attachment'})

const KEPT: ContentOptions = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}

/** The session as an export made with `options` gets it, rendered by `writer`. */
function exported(read: Session, options: ContentOptions, writer = markdownWriter): string {
  return writer.render(shapeContent(read, options), renderContext(() => null, countsOf(read), shapingOf(options), attachmentsLeftOut(read, options)))
}

describe('what a tool returned besides its text', () => {
  const read = sessionWith(['screenshot', 'screenshot', 'read', 'list'], [
    result(0, ''),
    image('screen.png'),
    result(1, ''),
    image('before.png'),
    image('after.png'),
    result(2, ''),
    {data: 'JVBERi0=', kind: 'file', mimeType: 'application/pdf', name: 'spec.pdf', path: null, type: 'attachment'},
    result(3, ''),
  ])

  it('says a result whose only output was an image or file returned one, when the export leaves it out', () => {
    const markdown = exported(read, {...KEPT, attachments: false})
    expect(markdown).to.include('_Output: an image, left out of this export_')
    expect(markdown).to.include('_Output: 2 images, left out of this export_')
    expect(markdown).to.include('_Output: a file, left out of this export_')
    // A call that returned nothing at all still says so.
    expect(markdown.match(/_Output: \(empty\)_/g)).to.have.length(1)
  })

  it('shows the images themselves, with no such words, when the export keeps them', () => {
    const markdown = exported(read, KEPT)
    expect(markdown).to.not.include('left out of this export')
    expect(markdown).to.include('_Attachment: screen.png (image/png), not stored_')
  })

  it('leaves the JSON document as it was: its shaping says attachments were left out', () => {
    const options = {...KEPT, attachments: false}
    const withoutMap = jsonWriter.render(shapeContent(read, options), renderContext(() => null, countsOf(read), shapingOf(options)))
    expect(exported(read, options, jsonWriter)).to.equal(withoutMap)
  })

  it('shows the calls a tool made itself under the call, not as a turn of their own', () => {
    const nested: Block = {kind: 'nested_calls', text: '- grep `{"pattern":"TODO"}`: ok, 42 ms', type: 'event'}
    const markdown = exported(sessionWith(['code'], [result(0, '3 TODOs'), nested]), KEPT)
    expect(markdown.match(/^## /gm)).to.have.length(1)
    expect(markdown).to.match(/\*\*Tool: code\*\*[\s\S]*3 TODOs[\s\S]*\*\*Nested calls\*\*\n\n- grep `\{"pattern":"TODO"\}`: ok, 42 ms/)
  })
})
