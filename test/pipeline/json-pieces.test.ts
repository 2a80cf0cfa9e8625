import {expect} from 'chai'
import {indentedArrayPieces, jsonObjectLinePieces, jsonObjectPieces, keptJson} from '../../src/pipeline/json-pieces.js'

describe('JSON written in pieces', () => {
  const session = (id: string) => ({facts: {id, title: `Fix “quotes” and\nlines in ${id} 😀`, tools: {Bash: 2}, filesChanged: [], summary: null}, exports: {markdown: {file: `${id}.md`, bytes: null}}})
  const text = (pieces: Iterable<string>) => [...pieces].join('')

  it('writes the text JSON.stringify writes, for records of records and indented arrays, empty or not', () => {
    const sessions = {'claude/a': session('a'), 'pi/b': session('b')}
    expect(text(jsonObjectPieces(sessions, keptJson))).to.equal(JSON.stringify(sessions))
    expect(text(jsonObjectPieces({}, keptJson))).to.equal('{}')
    const scopes = {'/home/a/.claude': sessions, '/empty': {}}
    expect(text(jsonObjectPieces(scopes, (entries) => jsonObjectPieces(entries, keptJson)))).to.equal(JSON.stringify(scopes))
    const items = Object.values(sessions)
    expect(`{\n  "sessions": ${text(indentedArrayPieces(items, 1))}\n}`).to.equal(JSON.stringify({sessions: items}, null, 2))
    expect(text(indentedArrayPieces([], 1))).to.equal('[]')
  })

  it('writes a member replaced since as it is now, and the same object at another depth with its own indentation', () => {
    const sessions: Record<string, object> = {'claude/a': session('a'), 'claude/b': session('b')}
    text(jsonObjectPieces(sessions, keptJson))
    sessions['claude/b'] = {...session('b'), sourceGoneAt: '2026-11-30T10:00:00.000Z'}
    expect(text(jsonObjectPieces(sessions, keptJson))).to.equal(JSON.stringify(sessions))
    const items = [session('c')]
    expect(text(indentedArrayPieces(items, 1))).to.equal(JSON.stringify({x: items}, null, 2).slice('{\n  "x": '.length, -2))
    expect(text(indentedArrayPieces(items, 0))).to.equal(JSON.stringify(items, null, 2))
  })

  it('writes an object with a member a line, in the order of their keys, that parses as the same object', () => {
    const sessions = {'pi/b': session('b'), 'claude/a': session('a'), 'claude/C': session('C')}
    const written = text(jsonObjectLinePieces(sessions, keptJson))
    expect(written.split('\n')).to.deep.equal(['{', `"claude/C":${JSON.stringify(sessions['claude/C'])},`, `"claude/a":${JSON.stringify(sessions['claude/a'])},`, `"pi/b":${JSON.stringify(sessions['pi/b'])}`, '}'])
    expect(JSON.parse(written)).to.deep.equal(sessions)
    expect(text(jsonObjectLinePieces({}, keptJson))).to.equal('{}')
  })
})
