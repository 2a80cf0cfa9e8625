import {expect} from 'chai'
import {nextExportAt, restAfter} from '../../src/pipeline/watch-pace.js'

describe('watch pace', () => {
  const idle = {lastExportEndedAt: 0, lastExportCostMs: 0}

  it('waits for the quiet time after the latest change', () => {
    expect(nextExportAt({...idle, firstChangeAt: 10_000, lastChangeAt: 10_200}, 300)).to.equal(10_500)
  })

  it('waits no longer than ten quiet times after the first change, while changes keep coming', () => {
    expect(nextExportAt({...idle, firstChangeAt: 10_000, lastChangeAt: 12_900}, 300)).to.equal(13_000)
  })

  it('rests four times what the last export cost', () => {
    const changed = {firstChangeAt: 20_100, lastChangeAt: 20_100}
    expect(nextExportAt({...changed, lastExportEndedAt: 20_000, lastExportCostMs: 1000}, 300)).to.equal(24_000)
    expect(nextExportAt({...changed, lastExportEndedAt: 20_000, lastExportCostMs: 10}, 300)).to.equal(20_400)
  })

  it('says how long it rests after an export, as it waits', () => {
    expect(restAfter(250)).to.equal(1000)
    expect(nextExportAt({firstChangeAt: 0, lastChangeAt: 0, lastExportEndedAt: 5000, lastExportCostMs: 250}, 300)).to.equal(5000 + restAfter(250))
  })

  it('never rests longer than half a minute', () => {
    expect(nextExportAt({firstChangeAt: 100_000, lastChangeAt: 100_000, lastExportEndedAt: 100_000, lastExportCostMs: 60_000}, 300)).to.equal(130_000)
  })

  it('exports at once with no quiet time and no export to rest from', () => {
    expect(nextExportAt({...idle, firstChangeAt: 5000, lastChangeAt: 5000}, 0)).to.equal(5000)
  })
})
