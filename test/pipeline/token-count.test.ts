import {expect} from 'chai'
import {countTokens} from 'gpt-tokenizer/encoding/o200k_base'
import {CostCounter} from '../../src/pipeline/token-count.js'

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

describe('CostCounter', () => {
  it('counts a text given in pieces, segment by segment, as its tokenizer counts it whole', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const whole = text(400, seed)
      // Segments of 64 characters: a text of 400 lines is cut at dozens of line ends.
      const counter = new CostCounter(64)
      for (const piece of piecesOf(whole, seed)) counter.add(piece)
      expect(counter.total(), `seed ${seed}`).to.deep.equal({bytes: Buffer.byteLength(whole), tokens: countTokens(whole, PLAIN_TEXT)})
    }
  })

  it('counts the text of a special token as plain text instead of refusing it', () => {
    const counter = new CostCounter()
    counter.add('the model stops at <|endoftext|> and <|endofprompt|>')
    expect(counter.total().tokens).to.equal(countTokens('the model stops at <|endoftext|> and <|endofprompt|>', PLAIN_TEXT))
  })
})
