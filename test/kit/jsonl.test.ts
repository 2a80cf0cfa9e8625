import {expect} from 'chai'
import {appendFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {type JsonLinesOptions, readJsonLines} from '../../src/kit/jsonl.js'
import {tempDir} from '../helpers/cli.js'

async function collect(content: string | Buffer, options: JsonLinesOptions = {}) {
  const file = path.join(tempDir(), 'session.jsonl')
  writeFileSync(file, content)
  const bad: string[] = []
  const values: unknown[] = []
  for await (const {line, value} of readJsonLines(file, {...options, onBadLine: (lineNumber, reason) => bad.push(`${lineNumber}: ${reason}`)})) values.push([line, value])
  return {bad, values}
}

describe('kit: readJsonLines', () => {
  it('yields each record with its line number, skipping blank lines', async () => {
    const {bad, values} = await collect('{"a":1}\n\n{"b":2}\r\n')
    expect(values).to.deep.equal([[1, {a: 1}], [3, {b: 2}]])
    expect(bad).to.deep.equal([])
  })

  it('reads lines longer than a read, and characters split between two reads, intact', async () => {
    // Reads are 1 MiB: the first line ends inside the second read; the emoji straddles the boundary.
    const long = 'x'.repeat(1024 * 1024 - 10)
    const text = `${long}🙂é日本`
    const {bad, values} = await collect(`${JSON.stringify({text})}\n${JSON.stringify({after: '✓'})}\n`)
    expect(bad).to.deep.equal([])
    expect(values).to.deep.equal([[1, {text}], [2, {after: '✓'}]])
  })

  it('reads files side by side, each with lines spanning several reads, intact', async () => {
    // Lines of 0.4 to 2.6 MB whose text differs everywhere, so a read landing in another's buffer shows.
    const folder = tempDir()
    const records = (name: string) => Array.from({length: 6}, (_, index) => ({name, text: `${name}${index}:`.repeat(40_000 + index * 60_000)}))
    const files = ['left', 'right'].map((name) => {
      const file = path.join(folder, `${name}.jsonl`)
      writeFileSync(file, records(name).map((record) => `${JSON.stringify(record)}\n`).join(''))
      return file
    })
    const [left, right] = files.map((file) => readJsonLines(file))
    const read: Record<string, unknown[]> = {left: [], right: []}
    for (let done = 0; done < 2; ) {
      done = 0
      for (const [name, lines] of [['left', left], ['right', right]] as const) {
        const next = await lines.next()
        if (next.done) done++
        else read[name].push(next.value.value)
      }
    }

    expect(read.left).to.deep.equal(records('left'))
    expect(read.right).to.deep.equal(records('right'))
  })

  it('reports a line that is not UTF-8 instead of reading it with replaced characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"a":1}\n{"text":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"c":3}\n')])
    const {bad, values} = await collect(latin1)
    expect(values).to.deep.equal([[1, {a: 1}], [3, {c: 3}]])
    expect(bad).to.deep.equal(['2: not valid UTF-8 text'])
  })

  it('reports a line longer than it can read with its size, passes over it without holding it, and reads on', async () => {
    const big = JSON.stringify({text: 'x'.repeat(3 * 1024 * 1024)})
    const small = JSON.stringify({text: 'y'.repeat(200)})
    const content = `{"a":1}\n${big}\n${small}\n{"b":2}\n${big}`
    const {bad, values} = await collect(content, {maxLineBytes: 1024 * 1024})
    expect(values).to.deep.equal([[1, {a: 1}], [3, JSON.parse(small)], [4, {b: 2}]])
    expect(bad).to.deep.equal(['2: 3.0 MB in one line, more than can be read as one string', '5: 3.0 MB in one line, more than can be read as one string'])
    // Within one read, too.
    expect((await collect(content, {maxLineBytes: 100})).bad.slice(0, 2)).to.deep.equal(['2: 3.0 MB in one line, more than can be read as one string', `3: ${small.length} B in one line, more than can be read as one string`])
  })

  it('skips a last line cut inside a character silently: the agent is still writing it', async () => {
    const cut = Buffer.concat([Buffer.from('{"a":1}\n{"text":"'), Buffer.from('日').subarray(0, 2)])
    const {bad, values} = await collect(cut)
    expect(values).to.deep.equal([[1, {a: 1}]])
    expect(bad).to.deep.equal([])
  })

  it('parses only the lines a raw-text test keeps, with their own line numbers', async () => {
    const {bad, values} = await collect('{"a":1}\n{"corrupt but not kept\n{"wanted":2}\n{"a":3}\n', {keep: (text) => text.includes('wanted')})
    expect(values).to.deep.equal([[3, {wanted: 2}]])
    expect(bad).to.deep.equal([])
  })

  it('neither decodes nor parses the lines a test of their bytes passes over, and tests the others with keep', async () => {
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])
    const content = Buffer.concat([Buffer.from('{"type":"message","n":1}\n{"corrupt, without it\n'), notUtf8, Buffer.from('\n{"type":"session_info","name":"first"}\n{"type":"session_info","name":"dropped by keep"}\n{"type":"session_info","name":"unterminated"}')])
    const {bad, values} = await collect(content, {keep: (text) => !text.includes('dropped'), passOver: (bytes) => !bytes.includes('"session_info"')})
    expect(values).to.deep.equal([[4, {name: 'first', type: 'session_info'}], [6, {name: 'unterminated', type: 'session_info'}]])
    expect(bad, 'a line passed over is not judged').to.deep.equal([])
    expect((await collect('{"type":"session_info","name":"ünïcödé"}\n', {passOver: (bytes) => !bytes.includes('ünïcödé')})).values).to.deep.equal([[1, {name: 'ünïcödé', type: 'session_info'}]])
  })

  it('yields what skim reads of a line in place of parsing it, in its place, but parses an unterminated last line', async () => {
    const skim = (bytes: Buffer) => (bytes.includes('"big"') ? {skimmed: bytes.length} : undefined)
    const {bad, values} = await collect('{"a":1}\n{"big" and not JSON}\n{"b":2}\n{"big":3}', {skim})
    expect(values).to.deep.equal([[1, {a: 1}], [2, {skimmed: 20}], [3, {b: 2}], [4, {big: 3}]])
    expect(bad).to.deep.equal([])
  })

  it('reports a corrupt line in the middle and goes on', async () => {
    const {bad, values} = await collect('{"a":1}\n{"b":\n{"c":3}\n')
    expect(values).to.deep.equal([[1, {a: 1}], [3, {c: 3}]])
    expect(bad).to.have.length(1)
    expect(bad[0]).to.match(/^2: /)
  })

  it('skips an unterminated last line silently: the agent is still writing it', async () => {
    const {bad, values} = await collect('{"a":1}\n{"b":2, "text": "half wri')
    expect(values).to.deep.equal([[1, {a: 1}]])
    expect(bad).to.deep.equal([])
  })

  it('skips a last line that was unterminated when read, even if the agent ends it before the read is over', async () => {
    const file = path.join(tempDir(), 'session.jsonl')
    writeFileSync(file, '{"a":1}\n{"b":2, "text": "half wri')
    const bad: number[] = []
    // The agent writes the rest of the line while the read is judging the half it read.
    const keep = (text: string) => {
      if (text.endsWith('half wri')) appendFileSync(file, 'tten"}\n')
      return true
    }

    const values = []
    for await (const {line} of readJsonLines(file, {keep, onBadLine: (line) => bad.push(line)})) values.push(line)
    expect(values).to.deep.equal([1])
    expect(bad).to.deep.equal([])
  })

  it('reports a corrupt last line that is terminated', async () => {
    const {bad} = await collect('{"a":1}\n{"b":2,\n')
    expect(bad).to.have.length(1)
  })

  it('reads a complete last line without a newline', async () => {
    expect((await collect('{"a":1}\n{"b":2}')).values).to.deep.equal([[1, {a: 1}], [2, {b: 2}]])
  })

  it('stops after maxLines', async () => {
    expect((await collect('{"a":1}\n{"b":2}\n{"c":3}\n', {maxLines: 2})).values).to.deep.equal([[1, {a: 1}], [2, {b: 2}]])
  })

  it('copes with a zero-byte file', async () => {
    expect(await collect('')).to.deep.equal({bad: [], values: []})
  })
})
