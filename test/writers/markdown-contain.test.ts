import {expect} from 'chai'
import MarkdownIt from 'markdown-it'
import type {Block, Message, Session} from '../../src/plugin-api.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {containedMarkdown} from '../../plugins/writer-markdown/src/contain.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {fixtureSession} from '../helpers/cli.js'

// A CommonMark parser, with raw HTML as GitHub passes it through.
const commonMark = new MarkdownIt({html: true})

/** A session whose first turn holds the block given, followed by a reply that must still read as a turn of its own. */
function sessionWith(block: Block): Session {
  const base = fixtureSession('empty')
  const turn = (role: Message['role'], blocks: Block[], index: number): Message => ({blocks, id: `m${index}`, model: null, role, timestamp: null, usage: null})
  return {...base, messages: [turn('user', [block], 1), turn('assistant', [{text: 'The reply after it.', type: 'text'}], 2), turn('user', [{text: 'And the last prompt.', type: 'text'}], 3)]}
}

/** The turn headings a CommonMark reader of the export finds, and the text it shows. */
function read(session: Session): {turns: string[]; html: string} {
  const markdown = markdownWriter.render(session, renderContext(() => null, countsOf(session)))
  const tokens = commonMark.parse(markdown.replace(/^---\n[\s\S]*?\n---\n/, ''), {})
  const turns = tokens.flatMap((token, index) => (token.type === 'heading_open' && token.tag === 'h2' ? [tokens[index + 1].content] : []))
  return {html: commonMark.render(markdown), turns}
}

const text = (said: string): Block => ({text: said, type: 'text'})

describe('Markdown writer: what a text opens is closed within it', () => {
  const unclosed: Array<[string, string]> = [
    ['a code fence (a reply interrupted while writing code)', 'Here is the fix:\n\n```ts\nconst answer = 42'],
    ['a tilde fence', '~~~~\nno end'],
    ['an HTML comment', 'Notes follow.\n<!-- draft\nnever ended'],
    ['a <pre> block', '<pre>\npreformatted, never closed'],
    ['a <?processing instruction', '<?xml version="1.0"\nnever ended'],
    ['a <!DECLARATION', '<!DOCTYPE html\nnever ended'],
    ['a CDATA section', '<![CDATA[\nnever ended'],
  ]
  for (const [name, said] of unclosed) {
    it(`${name}: the turns after it stay turns`, () => {
      expect(read(sessionWith(text(said))).turns).to.have.length(3)
    })
  }

  it('shows an HTML comment that never ends as the text it is', () => {
    const {html} = read(sessionWith(text('Notes follow.\n<!-- draft\nnever ended')))
    expect(html).to.include('&lt;!-- draft').and.to.include('never ended')
  })

  it('closes a <details> left open, so the rest of the session is not folded into it', () => {
    expect(containedMarkdown('<details>\n<summary>Log</summary>\n\nline')).to.deep.equal(['<details>\n<summary>Log</summary>\n\nline', '\n\n</details>'])
    expect(containedMarkdown('<details><summary>a</summary>b</details>')).to.deep.equal(['<details><summary>a</summary>b</details>'])
  })

  it('leaves a text that closes what it opens as it is', () => {
    const closed = [
      'Run:\n\n```sh\nnpm test\n```\n\nThen check.',
      '````md\n```\ninner fence\n```\n````',
      '<!-- a comment -->\nText after it.',
      '<!--\nlong comment\n-->',
      '```\n<!-- inside code, not a comment\n```',
      'Plain words with `code` and <b>bold</b>.',
      // A fence inside an HTML block is HTML, not a fence: nothing to close.
      '<div>\n```\n</div>',
      // Fences in list items and quotes, closed or not, close with them.
      'Steps:\n1. ```sh\n   make\n   ```\n2. Run it',
      '- ```bash\n  npm i\n  ```\n\nDone.',
      '1. Run:\n   ```bash\n   npm i',
      '> ```\n> quoted code',
      // Windows line ends; a heading ends a paragraph, so a lone tag after it starts an HTML block.
      'para\r\n\r\n<span>\r\n```\r\n\r\nmore',
      '# Title\n<span>\n```\n\nmore',
    ]
    for (const said of closed) expect(containedMarkdown(said), said).to.deep.equal([said])
  })

  it('closes a fence left open after Windows line ends', () => {
    expect(containedMarkdown('<div>\r\n\r\n```python\r\nprint()\r\n').join('')).to.equal('<div>\r\n\r\n```python\r\nprint()\r\n```')
  })

  it('closes a fence only with a fence of its kind and at least its length', () => {
    expect(containedMarkdown('````\n```\n').join('')).to.equal('````\n```\n````')
    expect(containedMarkdown('```\n~~~\n').join('')).to.equal('```\n~~~\n```')
  })

  it('contains the texts of thinking and of events too', () => {
    const thinking = read(sessionWith({redacted: false, text: 'Maybe:\n<details>\nopen', type: 'thinking'}))
    expect(thinking.html.match(/<details>/g)).to.have.length(1)
    expect(thinking.html.match(/<\/details>/g)).to.have.length(1)
    expect(read(sessionWith({kind: 'compaction', text: 'Goal:\n\n```\nunclosed', type: 'event'})).turns).to.have.length(3)
  })
})

describe("Markdown writer: what a program printed (events of a kind ending in '_output')", () => {
  const printed = '# Deploy script\n```\n<details>\nstep 1\nstep 2'

  it('is shown in a code block, line for line, and nothing in it is read as Markdown', () => {
    const {html, turns} = read(sessionWith({kind: 'shell_output', text: printed, type: 'event'}))
    expect(turns).to.have.length(3)
    expect(html).to.not.match(/<h1>Deploy script/)
    expect(html).to.include('<pre><code># Deploy script\n```\n&lt;details&gt;\nstep 1\nstep 2\n</code></pre>')
  })

  it('while an event in words is Markdown', () => {
    const {html} = read(sessionWith({kind: 'compaction', text: 'The **upload test** was fixed.', type: 'event'}))
    expect(html).to.include('<strong>upload test</strong>')
  })
})

describe('Markdown writer: texts made of the pieces that open and close blocks', () => {
  const pieces = ['```', '~~~', '````', '<!--', '-->', '<pre>', '</pre>', '<details>', '</details>', '<div>', '</div>', '\n', '\n\n', 'text', '    ', '> ', '- ', '`', '<?', '?>', '<!X', '>', '<![CDATA[', ']]>', '<script>', '<summary>x</summary>', ' ']
  // A fixed sequence of draws, so that a failure can be run again.
  let state = 1
  const draw = (count: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state % count
  }

  it('never hide the turns after them, nor leave a <details> open', () => {
    const blocks = (said: string): Block[] => [text(said), {redacted: false, text: said, type: 'thinking'}, {kind: 'compaction', text: said, type: 'event'}]
    for (let round = 0; round < 1000; round++) {
      let said = ''
      for (let count = draw(12) + 1; count > 0; count--) said += pieces[draw(pieces.length)]
      const block = blocks(said)[draw(3)]
      const {html, turns} = read(sessionWith(block))
      expect(turns, JSON.stringify(block)).to.have.length(3)
      expect(html.match(/<\/details>/g)?.length ?? 0, JSON.stringify(block)).to.be.at.least(html.match(/<details/g)?.length ?? 0)
    }
  })
})
