import {decode, encode} from '@toon-format/toon'
import {expect} from 'chai'
import {ExportDocumentSchema, fromExportDocument} from '../../src/model/export-document.js'
import type {Session, ToolResultBlock} from '../../src/model/session.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {fixtureSession} from '../helpers/cli.js'

type Outcome = Pick<ToolResultBlock, 'durationMs' | 'exitCode' | 'isError' | 'output' | 'status'>

/** One Bash call per outcome, each answered by a result that ended so. */
function sessionEnding(outcomes: Outcome[]): Session {
  const ids = outcomes.map((_outcome, index) => `call_${index}`)
  return {
    ...fixtureSession('empty'),
    messages: [
      {blocks: ids.map((id) => ({id, input: {command: 'make'}, name: 'Bash', subagentId: null, type: 'tool_call'})), id: 'a1', model: null, role: 'assistant', timestamp: null, usage: null},
      {blocks: outcomes.map((outcome, index) => ({callId: ids[index], type: 'tool_result', ...outcome})), id: 't1', model: null, role: 'tool', timestamp: null, usage: null},
    ],
  }
}

const OUTCOMES: Outcome[] = [
  {durationMs: 120, exitCode: 0, isError: false, output: 'built\n', status: 'ok'},
  {durationMs: 21, exitCode: 2, isError: true, output: 'make: *** [all] Error 2\n', status: 'error'},
  {durationMs: 4240, exitCode: null, isError: true, output: 'PASS a.test.ts\n', status: 'interrupted'},
  {durationMs: null, exitCode: null, isError: true, output: '', status: 'unfinished'},
  {durationMs: 125_400, exitCode: 0, isError: false, output: 'deployed\n', status: 'ok'},
  {durationMs: null, exitCode: 1, isError: true, output: '', status: 'error'},
]

const render = (session: Session, writer = markdownWriter) => writer.render(session, renderContext(() => null, countsOf(session)))

describe('how a tool call ended, in every format', () => {
  const session = sessionEnding(OUTCOMES)

  it('is a column of the JSON and TOON block table each, and comes back whole from either', () => {
    const json = render(session, jsonWriter)
    const document = ExportDocumentSchema.parse(JSON.parse(json))
    const rows = document.blocks.filter((row) => row.type === 'tool_result')
    expect(rows.map(({durationMs, exitCode, status}) => [status, exitCode, durationMs])).to.deep.equal(OUTCOMES.map(({durationMs, exitCode, status}) => [status, exitCode, durationMs]))
    expect(fromExportDocument(document)).to.deep.equal(session)
    const toon = render(session, toonWriter)
    expect(toon, 'TOON tables written as the library writes them').to.equal(`${encode(JSON.parse(json))}\n`)
    expect(fromExportDocument(ExportDocumentSchema.parse(decode(toon)))).to.deep.equal(session)
    // Other blocks leave the columns empty.
    expect(document.blocks.find((row) => row.type === 'tool_call')).to.include({durationMs: null, exitCode: null, status: null})
  })

  it('reads back as not known from an export written before these columns', () => {
    const document = JSON.parse(render(session, jsonWriter))
    for (const row of document.blocks) for (const column of ['status', 'exitCode', 'durationMs']) delete row[column]
    const results = fromExportDocument(ExportDocumentSchema.parse(document)).messages[1].blocks
    expect(results.map((block) => block.type === 'tool_result' && [block.isError, block.status, block.exitCode, block.durationMs])).to.deep.equal(
      OUTCOMES.map(({isError}) => [isError, null, null, null]),
    )
  })

  it('labels each result in Markdown: an exit code not 0, a call stopped or never done, the time of a slow one', () => {
    const markdown = render(session)
    const labels = markdown.split('\n').filter((line) => /^_?(?:Output|Error|Interrupted|Did not finish)\b/.test(line))
    expect(labels).to.deep.equal([
      'Output (1 line)',
      'Error (exit 2, 1 line)',
      'Interrupted (4.2 s, 1 line)',
      '_Did not finish: (empty)_',
      'Output (2 min 5 s, 1 line)',
      '_Error (exit 1): (empty)_',
    ])
  })

  it('labels the results of an older export by their error flag alone, as before', () => {
    const old = sessionEnding(OUTCOMES.map(({isError, output}) => ({durationMs: null, exitCode: null, isError, output, status: null})))
    const labels = render(old).split('\n').filter((line) => /^_?(?:Output|Error)\b/.test(line))
    expect(labels).to.deep.equal(['Output (1 line)', 'Error (1 line)', 'Error (1 line)', '_Error: (empty)_', 'Output (1 line)', '_Error: (empty)_'])
  })
})
