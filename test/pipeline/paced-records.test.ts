import {expect} from 'chai'
import {PacedRecords, RECORD_BYTES_PER_SECOND} from '../../src/pipeline/paced-records.js'

describe('the pace of a watch saving its records', () => {
  it('saves at once the first time, then not before the interval has passed', () => {
    const records = new PacedRecords(10_000)
    expect(records.tooSoon).to.equal(false)
    const before = Date.now()
    records.saved(1000)
    expect(records.tooSoon).to.equal(true)
    expect(records.gapMs).to.equal(10_000)
    expect(records.dueAt - before).to.be.within(10_000, 10_000 + (Date.now() - before))
  })

  it('waits longer after a large save, in proportion to its bytes', () => {
    const records = new PacedRecords(10_000)
    records.saved(22_000_000)
    expect(records.gapMs).to.equal((22_000_000 / RECORD_BYTES_PER_SECOND) * 1000).and.to.be.above(60_000)
    // A history that shrank (sessions moved to another folder) is saved at the interval again.
    records.saved(1000)
    expect(records.gapMs).to.equal(10_000)
  })
})
