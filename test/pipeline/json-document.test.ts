import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import type {Session} from '../../src/model/session.js'
import {FileCursor, fileLines, filePieces} from '../../src/pipeline/file-cursor.js'
import {jsonDocumentForFacts} from '../../src/pipeline/json-facts.js'
import {documentOf, readJsonDocument} from '../../src/pipeline/json-document.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'
import {type Document, exportFile, forFacts, type Row} from '../helpers/export-document.js'
import {YAML_EDGE_STRINGS} from '../helpers/yaml-edges.js'

/** The text in a file of its own. */
function fileOf(text: string | Buffer, name = 'document.json'): string {
  const file = path.join(tempDir(), name)
  writeFileSync(file, text)
  return file
}

/** The rich session with texts that look like the lines the reader looks for, one of them longer than a read. */
function withTrickyTexts(): Session {
  const rich = fixtureSession('rich')
  const tricky = ['\n    }', '\n  ]\n}', '"text": [', ...YAML_EDGE_STRINGS].join(' ')
  const long = (text: string, index: number) => `${text} ${tricky} ${'long, '.repeat(index === 0 ? 300_000 : 10)}`
  return {...rich, messages: rich.messages.map((message, index) => ({...message, blocks: message.blocks.map((block) => ('text' in block ? {...block, text: long(block.text, index)} : block))}))}
}

/** A document with every kind of member: nested objects and arrays in members and rows, keys like the layout's lines, empty ones. */
const ODD_DOCUMENT = {
  schemaVersion: 4,
  'a key": [': 1,
  'another": {': {'deeper": [': [{'}': ']'}]},
  empty: {},
  none: [],
  extra: {nested: {list: [{a: 1}, [2, [3]]]}, text: '\n    }\n  }'},
  messages: [{role: 'user', nested: {a: [1, {b: 2}]}}, 'a string row', 3, null, [1, [2, {c: 3}]], [], {}],
  blocks: [{message: 0, text: 'x'}],
  café: 'thé',
}

describe('a JSON export read a member and a row at a time', () => {
  it("reads the JSON writer's export as JSON.parse reads it, texts that look like its lines among them", async () => {
    const file = await exportFile(withTrickyTexts(), jsonWriter)
    const expected = JSON.parse(readFileSync(file, 'utf8')) as unknown
    expect(readJsonDocument(file)).to.deep.equal(expected)
    // Not by falling back on reading it whole: the cursor alone reads it so.
    const cursor = new FileCursor(file)
    expect(documentOf(cursor, (_table, row) => row)).to.deep.equal(expected)
    cursor.close()
  })

  it('reads every kind of member and row as JSON.parse does, through reads of any size', () => {
    const text = `${JSON.stringify(ODD_DOCUMENT, null, 2)}\n`
    const file = fileOf(text)
    for (const chunkBytes of [1, 2, 3, 7, 64, 1024]) {
      const cursor = new FileCursor(file, chunkBytes)
      expect(documentOf(cursor, (_table, row) => row), `reads of ${chunkBytes} bytes`).to.deep.equal(ODD_DOCUMENT)
      cursor.close()
    }
  })

  it('reads a file with Windows line breaks, or without a last one, as the one it was', async () => {
    const file = await exportFile(withTrickyTexts(), jsonWriter)
    const text = readFileSync(file, 'utf8')
    for (const changed of [text.replaceAll('\n', '\r\n'), text.trimEnd()]) {
      const cursor = new FileCursor(fileOf(changed))
      expect(documentOf(cursor, (_table, row) => row)).to.deep.equal(JSON.parse(text))
      cursor.close()
    }
  })

  it('keeps a `__proto__` member as a field, not as the prototype of the document', () => {
    const document = readJsonDocument(fileOf('{\n  "schemaVersion": 4,\n  "__proto__": {\n    "agent": "elsewhere"\n  }\n}\n')) as Row
    expect(Object.getPrototypeOf(document)).to.equal(Object.prototype)
    expect(Object.hasOwn(document, '__proto__')).to.equal(true)
    expect(document.agent).to.equal(undefined)
  })

  it('reads a file laid out otherwise whole, as JSON.parse does, and fails where it fails', () => {
    // A row that ends where the next starts, as some formatters write them.
    const rowsJoined = JSON.stringify(ODD_DOCUMENT, null, 2).replace('\n    },\n    "a string row"', '\n    }, "a string row"')
    for (const text of [JSON.stringify(ODD_DOCUMENT), JSON.stringify(ODD_DOCUMENT, null, 4), JSON.stringify(ODD_DOCUMENT, null, '\t'), rowsJoined]) {
      const file = fileOf(text)
      expect(() => documentOf(new FileCursor(file), (_table, row) => row)).to.throw(SyntaxError)
      expect(readJsonDocument(file)).to.deep.equal(ODD_DOCUMENT)
    }

    const whole = `${JSON.stringify(ODD_DOCUMENT, null, 2)}\n`
    for (const broken of [whole.slice(0, whole.indexOf('"blocks"')), `${whole}{}\n`, whole.replace('"role": "user",', '"role": "user"')]) {
      const file = fileOf(broken)
      expect(() => JSON.parse(broken)).to.throw(SyntaxError)
      expect(() => readJsonDocument(file)).to.throw(SyntaxError)
    }
  })

  it('passes each row to be kept, in order, with its table, and keeps what it gives back', () => {
    const seen: unknown[] = []
    const file = fileOf(JSON.stringify(ODD_DOCUMENT, null, 2))
    const document = readJsonDocument(file, (table, row) => {
      seen.push([table, row])
      return table === 'messages' ? 'kept' : row
    }) as typeof ODD_DOCUMENT
    expect(seen).to.deep.equal([...ODD_DOCUMENT.messages.map((row) => ['messages', row]), ...ODD_DOCUMENT.blocks.map((row) => ['blocks', row])])
    expect(document.messages).to.deep.equal(ODD_DOCUMENT.messages.map(() => 'kept'))
    expect(document.blocks).to.deep.equal(ODD_DOCUMENT.blocks)
  })
})

describe('the export document of a JSON export, read for its facts', () => {
  it('keeps everything but the texts of blocks no fact is read from, which the person did not write', async () => {
    const file = await exportFile(withTrickyTexts(), jsonWriter)
    const whole = JSON.parse(readFileSync(file, 'utf8')) as Document
    expect(jsonDocumentForFacts(file)).to.deep.equal(forFacts(whole))

    const byUser = (row: Row) => whole.messages[row.message as number].role === 'user'
    expect(whole.blocks.filter((row) => byUser(row) && row.text)).to.not.be.empty
    expect(whole.blocks.some((row) => !byUser(row) && row.text)).to.equal(true)
    expect(whole.blocks.some((row) => typeof row.input === 'string' && row.input !== '{}')).to.equal(true)
  })
})

describe('a file read forward by a cursor', () => {
  const text = 'one\r\ntwo\n\nthé, café: ☕ and 🚀\nlast'

  it('hands out the text up to each delimiter, decoded whole through reads of any size, then the rest', () => {
    const file = fileOf(text)
    for (const chunkBytes of [1, 2, 3, 5, 1024]) {
      const cursor = new FileCursor(file, chunkBytes)
      const pieces = [cursor.upTo(Buffer.from('\n')), cursor.upTo(Buffer.from('\n\n')), cursor.upTo(Buffer.from('🚀')), cursor.upTo(Buffer.from('\n')), cursor.rest()]
      expect(pieces, `reads of ${chunkBytes} bytes`).to.deep.equal(['one\r', 'two', 'thé, café: ☕ and ', '', 'last'])
      cursor.close()
    }
  })

  it('finds no delimiter past the end, nor in what the last file read left in its buffer', () => {
    const first = new FileCursor(fileOf('a first file, longer, with a delimiter: ZZZ'))
    expect(first.upTo(Buffer.from('\n'))).to.equal(null)
    first.close()
    const cursor = new FileCursor(fileOf('short'))
    expect(cursor.upTo(Buffer.from('ZZZ'))).to.equal(null)
    expect(cursor.rest()).to.equal('short')
    cursor.close()
  })

  it('gives the lines of a file, a Windows line break\'s "\\r" kept, and a last line cut inside a character as decoding leaves it', () => {
    expect([...fileLines(fileOf(text))]).to.deep.equal(text.split('\n'))
    expect([...fileLines(fileOf(`${text}\n`))]).to.deep.equal([...text.split('\n'), ''])
    expect([...fileLines(fileOf(Buffer.from('a\ncafé').subarray(0, -1)))]).to.deep.equal(['a', 'caf\uFFFD'])
  })
})

describe('a text file as pieces', () => {
  const long = Array.from({length: 50_000}, (_, index) => `line ${index} ☕`).join('\n')
  const texts = ['', 'one line', 'one line\n', 'a\r\nb\n\nc', '\n\n', '---\nagent: claude\n---\n\n## User\n\nthé ☕ and 🚀\n', long, `${long}\n`]

  it('gives the text whole, however it ends, in pieces of whole lines through reads of any size', () => {
    for (const chunkBytes of [1, 2, 3, 7, 64, undefined]) {
      for (const text of texts) {
        const pieces = [...filePieces(fileOf(text), chunkBytes)]
        const what = `${JSON.stringify(text.slice(0, 20))} in reads of ${chunkBytes ?? 'a megabyte'}`
        expect(pieces.join(''), what).to.equal(text)
        expect(pieces.slice(0, -1).every((piece) => piece.endsWith('\n')), what).to.equal(true)
        expect(pieces.every((piece) => piece.length > 0), what).to.equal(true)
      }
    }
  })

  it('gives about a read a piece', () => {
    const file = fileOf(`${long}\n`)
    expect([...filePieces(file)]).to.have.length(1)
    const pieces = [...filePieces(file, 64 * 1024)]
    expect(pieces.length).to.be.within(12, 13)
    expect(Math.max(...pieces.map((piece) => Buffer.byteLength(piece)))).to.be.at.most(64 * 1024)
  })
})
