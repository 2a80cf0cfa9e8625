import {expect} from 'chai'
import {compilePattern, highlighter, searchLines, searchSession, snippetAround} from '../../src/pipeline/search.js'
import {fixtureSession} from '../helpers/cli.js'

const literal = (pattern: string, caseSensitive: boolean | null = null) => compilePattern({caseSensitive, pattern, regex: false})

describe('searching a session', () => {
  const rich = fixtureSession('rich')

  it('finds text wherever the session holds it, and says where: who, when, which tool', () => {
    const places = (pattern: string) => searchSession(rich, literal(pattern)).matches.map(({place, role, timestamp, tool}) => ({place, role, timestamp, tool}))
    expect(places('flaky')).to.deep.equal([
      {place: 'title', role: null, timestamp: null, tool: null},
      {place: 'event', role: 'system', timestamp: '2026-11-20T09:30:00.000Z', tool: null},
    ])
    expect(places('depends on timing')).to.deep.equal([{place: 'thinking', role: 'assistant', timestamp: '2026-11-20T09:15:05.000Z', tool: null}])
    expect(places('missing.ts')).to.deep.equal([{place: 'tool call', role: 'assistant', timestamp: '2026-11-20T09:15:05.000Z', tool: 'Read'}])
    // A tool output is named after the call it answers, which sits in another message.
    expect(places('does not exist')).to.deep.equal([{place: 'tool output', role: 'tool', timestamp: '2026-11-20T09:15:09.000Z', tool: 'Read'}])
    expect(places('screenshot.png')).to.deep.equal([{place: 'attachment', role: 'user', timestamp: '2026-11-20T09:15:00.000Z', tool: null}])
  })

  it('shows the first three places in the order of the session and counts them all', () => {
    const found = searchSession(rich, literal('upload'))
    expect(found.total).to.equal(5)
    expect(found.matches.map((match) => match.place)).to.deep.equal(['title', 'text', 'tool call'])
    expect(found.matches[1].snippet).to.equal('The upload test fails sometimes. Here is the log: ``` FAIL upload.test.ts ``` Can you fi…')
  })

  it('leaves out the first messages it is told to skip (a fork\'s copies)', () => {
    expect(searchSession(rich, literal('fake timers'), {skipMessages: 0}).total).to.equal(1)
    expect(searchSession(rich, literal('fake timers'), {skipMessages: rich.messages.length}).total).to.equal(0)
    expect(searchSession(rich, literal('fix it'), {skipMessages: 1}).total).to.equal(0)
  })

  it('looks only in the calls of the tools named and their outputs, with --tool, whatever the case of their names', () => {
    const bash = new Set(['bash'])
    const inBash = searchSession(rich, literal('upload'), {onlyTools: bash})
    // Not the title, the prompt, nor the Task call and its report that also say "upload".
    expect(inBash.matches.map(({place, tool}) => ({place, tool}))).to.deep.equal([{place: 'tool call', tool: 'Bash'}])
    expect(inBash.total).to.equal(1)
    expect(searchSession(rich, literal('does not exist'), {onlyTools: new Set(['read'])}).matches.map((match) => match.place)).to.deep.equal(['tool output'])
    expect(searchSession(rich, literal('upload'), {onlyTools: new Set(['read'])}).total).to.equal(0)
  })

  it('finds every call of a tool when given no text, once a call, its input as the snippet', () => {
    const calls = searchSession(rich, null, {onlyTools: new Set(['bash', 'read'])})
    expect(calls.total, 'two calls, their outputs not counted again').to.equal(2)
    expect(calls.matches.map(({place, tool}) => `${place} ${tool}`)).to.deep.equal(['tool call Bash', 'tool call Read'])
    expect(calls.matches[1].snippet).to.equal('{"file_path":"/home/dev/app/missing.ts"}')
    expect(searchSession(rich, null, {onlyTools: new Set(['write'])}).total).to.equal(0)
  })

  it('takes the pattern as plain text, ignoring case unless it has a capital letter', () => {
    expect(literal('upload.test.ts').test('FAIL UPLOAD.TEST.TS')).to.equal(true)
    expect(literal('upload.test.ts').test('upload_test_ts')).to.equal(false)
    expect(literal('(a+b)*[c]').test('x (A+B)*[C] y')).to.equal(true)
    expect(literal('Upload').test('upload')).to.equal(false)
    expect(literal('upload', true).test('Upload')).to.equal(false)
    expect(literal('Upload', false).test('upload')).to.equal(true)
  })

  it('takes a regular expression with --regex, and explains an invalid one', () => {
    const regex = compilePattern({caseSensitive: null, pattern: String.raw`set\w+\(`, regex: true})
    expect(regex.test('call setTimeout(fn)')).to.equal(true)
    expect(() => compilePattern({caseSensitive: null, pattern: 'a(', regex: true})).to.throw(/^not a valid regular expression: .*Unterminated group/)
  })

  it('refuses an empty pattern, which would match every session', () => {
    for (const regex of [false, true]) expect(() => compilePattern({caseSensitive: null, pattern: '', regex})).to.throw('nothing to search for')
    // Spaces are something to look for.
    expect(compilePattern({caseSensitive: null, pattern: '  ', regex: false}).test('a  b')).to.equal(true)
  })

  it('counts no match for a pattern that matches the empty string', () => {
    expect(searchSession(rich, compilePattern({caseSensitive: null, pattern: 'z*', regex: true})).total).to.equal(0)
  })

  it('cuts a snippet around the match on whole characters, on one line, marking the cuts', () => {
    const text = `${'a'.repeat(99)}😀\n\nneedle\t${'b'.repeat(200)}`
    const snippet = snippetAround(text, text.indexOf('needle'), 6)
    expect(snippet.startsWith('…')).to.equal(true)
    expect(snippet.endsWith('…')).to.equal(true)
    expect(snippet).to.contain('😀 needle b')
    expect(snippet).not.to.match(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])(?<![\uD800-\uDBFF][\uDC00-\uDFFF])/)
    expect(snippetAround('short needle', 6, 6)).to.equal('short needle')
  })

  it('colours every match in a snippet for a terminal, whatever its case', () => {
    expect(highlighter(literal('upload'))('Upload, then upload again')).to.equal('\u001B[1;31mUpload\u001B[0m, then \u001B[1;31mupload\u001B[0m again')
    expect(highlighter(compilePattern({caseSensitive: null, pattern: 'b*', regex: true}))('aaa')).to.equal('aaa')
  })
})

describe("searching an export's text line by line", () => {
  /** What searching every line alone gives: each line where the pattern matches, as a match, and how many. */
  function everyLine(text: string, pattern: RegExp, shown: number): ReturnType<typeof searchLines> {
    const found = text.split('\n').flatMap((line) => {
      const match = pattern.exec(line)
      return match && match[0].length > 0 ? [{place: 'export' as const, role: null, snippet: snippetAround(line, match.index, match[0].length), timestamp: null, tool: null}] : []
    })
    return {matches: found.slice(0, shown), total: found.length}
  }

  const text = [
    '# Fix the flaky test',
    'the end of a line: a',
    'b at the start of the next, then a b',
    '',
    '  - an item, indented\r',
    'Timeout after 5 s; timeout again',
    'xyz',
    'no line break at the end: timeout',
  ].join('\n')
  const regex = (pattern: string) => compilePattern({caseSensitive: null, pattern, regex: true})

  it('finds each line where the pattern matches on the line alone, as trying every line does', () => {
    const patterns = [literal('timeout'), literal('Timeout'), literal('a b'), regex(String.raw`a\sb`), regex('^#'), regex('^b'), regex(String.raw`\r$`), regex('a$'), regex(String.raw`[^a]*$`), regex('x?'), regex(String.raw`(?<!\S)b`), regex(String.raw`(?<![\s\S])b`), regex('(?<=a )b'), regex(String.raw`b(?=\n)`), regex('^$'), regex(String.raw`\bend\b`), regex(String.raw`timeout$`)]
    for (const pattern of patterns) for (const shown of [1, 3]) expect(searchLines([text], pattern, shown), `${String(pattern)}, ${shown} shown`).to.deep.equal(everyLine(text, pattern, shown))
    expect(searchLines([text], regex(String.raw`a\sb`), 3).total, 'a match across two lines is not one').to.equal(1)
    expect(searchLines([text], literal('timeout'), 3).total).to.equal(2)
  })

  it('finds the same in pieces of whole lines as in the whole text', () => {
    const lines = text.split('\n')
    const pieces = lines.map((line, index) => (index < lines.length - 1 ? `${line}\n` : line))
    for (const pattern of [literal('timeout'), regex('^b'), regex('a$'), regex('^$'), regex(String.raw`[^a]*$`), regex('(?<=a )b'), regex(String.raw`\r$`)]) {
      for (const shown of [1, 3]) expect(searchLines(pieces, pattern, shown), `${String(pattern)}, ${shown} shown`).to.deep.equal(everyLine(text, pattern, shown))
    }
  })
})
