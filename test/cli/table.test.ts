import {expect} from 'chai'
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
