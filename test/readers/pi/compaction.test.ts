import {expect} from 'chai'
import {toMessage} from '../../../plugins/reader-pi/src/messages.js'
import {readerContext} from '../../helpers/reader-context.js'

describe('Pi reader: compactions', () => {
  const summary = '## Goal\nRefactor the config loader'
  const expected = [
    {kind: 'compaction', text: 'Conversation compacted (48213 tokens before)', type: 'event'},
    {kind: 'compaction_summary', text: summary, type: 'event'},
  ]

  it('gives a compaction entry and the compactionSummary message Pi makes of it alike', () => {
    const entry = {firstKeptEntryId: 'a1', id: 'c1', line: 9, parentId: 'a0', summary, timestamp: '2026-11-21T14:02:20.000Z', tokensBefore: 48_213, type: 'compaction'}
    const asMessage = {id: 'c2', line: 10, message: {role: 'compactionSummary', summary, timestamp: 1_795_269_740_000, tokensBefore: 48_213}, parentId: 'c1', timestamp: '2026-11-21T14:02:20.000Z', type: 'message'}
    expect(toMessage(entry, readerContext({}))?.blocks).to.deep.equal(expected)
    expect(toMessage(asMessage, readerContext({}))?.blocks).to.deep.equal(expected)
  })
})
