import {decode} from '@toon-format/toon'
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import {exportSession} from '../../src/pipeline/export-session.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {toonDocumentForFacts} from '../../src/pipeline/toon-facts.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

type Row = Record<string, unknown>
type Document = {messages: Row[]; blocks: Row[]} & Row

describe('the export document of a TOON export, read for its facts', () => {
  it('keeps everything but the texts of blocks no fact is read from, which the person did not write', async () => {
    const output = new OutputFolder(tempDir())
    const session = fixtureSession('rich')
    const options = {attachments: false, maxOutputChars: null, redact: false, thinking: true, tools: true, writer: toonWriter}
    await exportSession(session, 'example/session.toon', new Map(), options, output, () => {})
    const file = output.resolve('example/session.toon')
    const whole = decode(readFileSync(file, 'utf8')) as Document
    const forFacts = (await toonDocumentForFacts(file)) as Document

    const {blocks: wholeBlocks, ...wholeRest} = whole
    const {blocks, ...rest} = forFacts
    expect(rest).to.deep.equal(wholeRest)
    expect(blocks).to.have.length(wholeBlocks.length)
    const byUser = (row: Row) => whole.messages[row.message as number].role === 'user'
    expect(wholeBlocks.filter((row) => byUser(row) && row.text)).to.not.be.empty
    for (const [index, row] of blocks.entries()) {
      const original = wholeBlocks[index]
      const expected = byUser(original) ? original : {...original, input: typeof original.input === 'string' ? '{}' : original.input, text: typeof original.text === 'string' ? '' : original.text}
      expect(row, `block ${index}`).to.deep.equal(expected)
    }

    expect(wholeBlocks.some((row) => !byUser(row) && row.text)).to.equal(true)
    expect(wholeBlocks.some((row) => typeof row.input === 'string' && row.input !== '{}')).to.equal(true)
  })
})
