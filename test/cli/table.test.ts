import {expect} from 'chai'
import {printable} from '../../src/printable.js'
import {formatTable} from '../../src/table.js'

describe('formatTable', () => {
  it('pads each column to its widest cell, counting characters rather than UTF-16 units', () => {
    expect(formatTable(['AGENT', 'TITLE'], [['pi', 'Fix 🐛'], ['opencode', 'x']])).to.equal('AGENT     TITLE\npi        Fix 🐛\nopencode  x')
  })

  it('lays out the rows of a history of hundreds of thousands of sessions', () => {
    const rows = Array.from({length: 200_000}, (_, index) => [`session-${index}`, 'title'])
    const lines = formatTable(['ID', 'TITLE'], rows).split('\n')
    expect(lines).to.have.length(200_001)
    expect(lines[1]).to.equal('session-0       title')
  })
})

describe('printable', () => {
  it('shows control characters from a session as symbols, so they cannot drive the terminal', () => {
    expect(printable('red \u001B[31mtext\u0007 \u007F \u009B2J')).to.equal('red \u241B[31mtext\u2407 \u2421 \uFFFD2J')
    expect(printable('plain ünïcödé 日本語 🐛')).to.equal('plain ünïcödé 日本語 🐛')
    expect(printable('a\tb\r\nc\u001B', {lines: true})).to.equal('a\tb\u240D\nc\u241B')
    expect(printable('a\tb\nc')).to.equal('a\u2409b\u240Ac')
  })
})
