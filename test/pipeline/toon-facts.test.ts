import {decode} from '@toon-format/toon'
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import type {Session} from '../../src/model/session.js'
import {builtFrom} from '../../src/pipeline/toon-document.js'
import {FactsDocument, toonDocumentForFacts} from '../../src/pipeline/toon-facts.js'
import {LongStrings} from '../../src/pipeline/toon-strings.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'
import {type Document, exportFile, forFacts, type Row} from '../helpers/export-document.js'

/** The rich session with texts long enough to be set aside while decoded, one of them longer than a read. */
function withLongTexts(): Session {
  const rich = fixtureSession('rich')
  const firstUser = rich.messages.findIndex((message) => message.role === 'user')
  const long = (text: string, index: number) => `${text} "${'long, '.repeat(index === firstUser ? 500_000 : 100)}"\\`
  return {...rich, messages: rich.messages.map((message, index) => ({...message, blocks: message.blocks.map((block) => ('text' in block ? {...block, text: long(block.text, index)} : block))}))}
}

describe('the export document of a TOON export, read for its facts', () => {
  it('keeps everything but the texts of blocks no fact is read from, which the person did not write', async () => {
    const file = await exportFile(fixtureSession('rich'), toonWriter)
    const whole = decode(readFileSync(file, 'utf8')) as Document
    expect(toonDocumentForFacts(file)).to.deep.equal(forFacts(whole))

    const byUser = (row: Row) => whole.messages[row.message as number].role === 'user'
    expect(whole.blocks.filter((row) => byUser(row) && row.text)).to.not.be.empty
    expect(whole.blocks.some((row) => !byUser(row) && row.text)).to.equal(true)
    expect(whole.blocks.some((row) => typeof row.input === 'string' && row.input !== '{}')).to.equal(true)
  })

  it('reads long texts set aside, a line longer than a read among them, as the library reads them', async () => {
    const file = await exportFile(withLongTexts(), toonWriter)
    const text = readFileSync(file, 'utf8')
    const expected = forFacts(decode(text) as Document)
    expect(toonDocumentForFacts(file)).to.deep.equal(expected)
    // Each set aside, and back: the document was not read again by the library alone.
    const strings = new LongStrings()
    expect(builtFrom(text.split('\n'), new FactsDocument(strings), strings)).to.deep.equal(expected)
    expect(strings.allRestored).to.equal(true)
    expect([...strings.shortened(text.split('\n'))].join('\n').length).to.be.below(text.length / 10)
  })

  it('reads a file with Windows line breaks, or without a last one, as the one it was', async () => {
    const file = await exportFile(withLongTexts(), toonWriter)
    const expected = toonDocumentForFacts(file)
    const text = readFileSync(file, 'utf8')
    for (const [name, changed] of [['crlf.toon', text.replaceAll('\n', '\r\n')], ['unterminated.toon', text.trimEnd()]]) {
      const copy = path.join(path.dirname(file), name)
      writeFileSync(copy, changed)
      expect(toonDocumentForFacts(copy), name).to.deep.equal(expected)
    }
  })

  it('reads a file cut inside its last character as the library reads its text', () => {
    const file = path.join(tempDir(), 'cut.toon')
    writeFileSync(file, Buffer.from('schemaVersion: 4\ntitle: café').subarray(0, -1))
    expect(toonDocumentForFacts(file)).to.deep.equal(decode(readFileSync(file, 'utf8'))).and.to.have.property('title', 'caf\uFFFD')
  })

  it('keeps a `__proto__` key as a field, not as the prototype of its object', () => {
    const file = path.join(tempDir(), 'proto.toon')
    writeFileSync(file, 'schemaVersion: 4\n__proto__:\n  agent: elsewhere\n')
    const document = toonDocumentForFacts(file) as Row
    expect(Object.getPrototypeOf(document)).to.equal(Object.prototype)
    expect(Object.hasOwn(document, '__proto__')).to.equal(true)
    expect(document.agent).to.equal(undefined)
  })
})
