import {expect} from 'chai'
import {countTokens} from 'gpt-tokenizer/encoding/o200k_base'
import {CostCounter} from '../../src/pipeline/token-count.js'
import {TokenPool} from '../../src/pipeline/token-pool.js'

const PLAIN_TEXT = {allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>()}

/** Lines of the kinds exports hold, with the line starts the tokenizer joins to a line end: `/`, blank lines, CRLF. */
const LINES = ['{', '  "role": "assistant",', '}', '//comment after a brace', '', '\t\tindented code();', '```ts', '- item', 'Wörter über Straßen', '中文内容', '😀 emoji', '/usr/bin/env node', '\r', '   ', "it's done", '1234567', '<|endoftext|>', '## Heading', '| a | b |']

function text(lines: number, seed: number): string {
  let state = seed
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state % n
  }
  return Array.from({length: lines}, () => LINES[next(LINES.length)] + ' '.repeat(next(3))).join('\n')
}

function piecesOf(whole: string, seed: number): string[] {
  const pieces: string[] = []
  for (let start = 0, size = seed; start < whole.length; start += size, size = ((size * 7) % 97) + 1) pieces.push(whole.slice(start, start + size))
  return pieces
}

async function costOf(pieces: string[], tokens: TokenPool, segmentChars?: number) {
  const counter = new CostCounter(tokens, segmentChars)
  for (const piece of pieces) await counter.add(piece)
  await counter.finish()
  return counter.total()
}

describe('CostCounter', () => {
  let tokens: TokenPool
  let one: TokenPool
  beforeEach(() => {
    tokens = new TokenPool(2)
    one = new TokenPool(1)
  })
  afterEach(async () => {
    await tokens.close()
    await one.close()
  })

  it('counts a text given in pieces, segment by segment on two threads, as its tokenizer counts it whole', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const whole = text(400, seed)
      // Segments of 64 characters: a text of 400 lines is cut at dozens of line ends.
      expect(await costOf(piecesOf(whole, seed), tokens, 64), `seed ${seed}`).to.deep.equal({bytes: Buffer.byteLength(whole), tokens: countTokens(whole, PLAIN_TEXT)})
    }
  })

  it('counts the text of a special token as plain text instead of refusing it', async () => {
    const quoted = 'the model stops at <|endoftext|> and <|endofprompt|>'
    expect((await costOf([quoted], tokens)).tokens).to.equal(countTokens(quoted, PLAIN_TEXT))
  })

  it('has a caller wait while two segments per thread are waiting, so a fast renderer does not fill memory', async () => {
    const long = 'word '.repeat(200_000)
    const first = one.count(long)
    const second = one.count('and more')
    let room = false
    const waited = one.ready().then(() => {
      room = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(room, 'room while two are waiting').to.equal(false)
    expect(await first).to.equal(countTokens(long))
    await waited
    expect(await second).to.equal(2)
  })

  it('fails the counts a thread held when it dies, and counts the next on a new one', async () => {
    expect(await one.count('warm up')).to.equal(2)
    // The thread is stopped from outside, as when it runs out of memory.
    const held = one.count('word '.repeat(200_000))
    await (one as unknown as {threads: Array<{worker: {terminate(): Promise<number>}}>}).threads[0].worker.terminate()
    await held.then(() => expect.fail('a count of a dead thread resolved'), (error: Error) => expect(error.message).to.contain('stopped'))
    expect(await one.count('after it')).to.equal(2)
  })
})
