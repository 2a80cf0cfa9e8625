import {decode, encode} from '@toon-format/toon'
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import type {Session} from '../../src/model/session.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {builtFrom, DocumentBuilder, readToonDocument} from '../../src/pipeline/toon-document.js'
import {LongStrings} from '../../src/pipeline/toon-strings.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'
import {YAML_EDGE_STRINGS} from '../helpers/yaml-edges.js'

const PADDING = 'p'.repeat(300)
/** Strings at every edge, well formed as the writer writes them (the library's encoder refuses half a character). */
const EDGES = [...YAML_EDGE_STRINGS, '\\', '\\\\', '"', '\\"', '""', 'a\\', '\u0000\b\f\u001F\u007F', '\t', 'x'.repeat(5000)].map((edge) => edge.toWellFormed())
/** Each, long enough to be set aside: at the end of a long string, and at its start. */
const LONG_EDGES = EDGES.flatMap((edge) => [PADDING + edge, edge + PADDING])

/** Decoded with its long strings set aside, which must all come back. */
function decodedSettingAside(text: string): unknown {
  const strings = new LongStrings()
  const value = builtFrom(text.split('\n'), new DocumentBuilder(strings), strings)
  expect(strings.allRestored, 'every string set aside restored').to.equal(true)
  return value
}

/** The text in a file of its own. */
function fileOf(text: string): string {
  const file = path.join(tempDir(), 'document.toon')
  writeFileSync(file, text)
  return file
}

function errorOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    return (error as Error).message
  }

  throw new Error('no error')
}

/** How much shorter a text is with its long strings set aside. */
function shortenedBy(text: string): number {
  const strings = new LongStrings()
  return text.length - text.split('\n').map((line) => strings.shorten(line)).join('\n').length
}

describe('a TOON document read with its long strings set aside', () => {
  it('reads every string as the library does: keys, values, inline arrays, tables and lists, with each delimiter', () => {
    const document = {
      title: LONG_EDGES[0],
      tags: LONG_EDGES,
      rows: LONG_EDGES.map((text, index) => ({index, name: EDGES[index % EDGES.length], text})),
      items: LONG_EDGES.map((text, index) => (index % 2 === 0 ? {text} : {nested: {text}, text})),
      nested: {deeper: {text: LONG_EDGES.at(-1)}},
      [`a key: ${PADDING}`]: {[`and "another" ${PADDING}`]: 1},
    }
    for (const delimiter of [',', '\t', '|'] as const) {
      const text = encode(document, {delimiter})
      expect(decodedSettingAside(text), `delimiter ${JSON.stringify(delimiter)}`).to.deep.equal(decode(text))
      expect(shortenedBy(text)).to.be.greaterThan(10_000)
    }
  })

  it("reads the TOON writer's export of a session with long texts as the library does", () => {
    const rich = fixtureSession('rich')
    const session: Session = {...rich, messages: rich.messages.map((message) => ({...message, blocks: message.blocks.map((block) => ('text' in block ? {...block, text: `${block.text} ${PADDING}"\\ end`} : block))}))}
    const text = toonWriter.render(session, renderContext(() => null, countsOf(session)))
    expect(decodedSettingAside(text)).to.deep.equal(decode(text))
    expect(shortenedBy(text)).to.be.greaterThan(0)
  })

  it("leaves a long string to the library where JSON would read it otherwise: a raw control character, an escape TOON lacks, a surrogate's escape", () => {
    for (const inner of ['\t', '\u0001', String.raw`\/`, String.raw`\b`, String.raw`\f`, String.raw`\u12`, String.raw`\ud83d\ude00`, String.raw`\uDC00`]) {
      const line = `  1,"${PADDING}${inner}${PADDING}",x`
      expect(new LongStrings().shorten(line), inner).to.equal(line)
    }

    const plain = `  1,"${PADDING}\\n\\u00e9\\\\",x`
    expect(new LongStrings().shorten(plain)).to.have.length.below(100)
  })

  it('finds where each quoted string ends, past escaped quotes and backslashes', () => {
    const values = [`${PADDING}\\`, `\\"${PADDING}`, `${PADDING}\\\\"`, '"', `"${PADDING}"`]
    const text = encode({rows: values.map((value) => ({a: value, b: 'short', c: value}))})
    expect(decodedSettingAside(text)).to.deep.equal(decode(text))
  })

  it('falls back on the library alone where a stand-in is not read as a string (quotes inside an unquoted value), and fails as it fails', () => {
    const text = `a: x"${PADDING}"\nlong "key ${PADDING}": 1`
    const strings = new LongStrings()
    builtFrom(text.split('\n'), new DocumentBuilder(strings), strings)
    expect(strings.allRestored).to.equal(false)
    expect(readToonDocument(fileOf(text))).to.deep.equal(decode(text)).and.to.have.property('a', `x"${PADDING}"`)

    for (const broken of [`a: "${PADDING}\\x"`, `a: "${PADDING}\\ud83d\\ude00"`, `rows[2]{a}:\n  "${PADDING}"`]) {
      expect(() => readToonDocument(fileOf(broken))).to.throw(errorOf(() => decode(broken)))
    }
  })
})
