import {expect} from 'chai'
import {oncePerRun} from '../../src/kit/once-per-run.js'
import {readerContext} from '../helpers/reader-context.js'

describe('kit: oncePerRun', () => {
  it('finds once per key for every caller of one run, again in the next run', async () => {
    const run = readerContext({})
    let finds = 0
    const find = async () => ++finds
    const [first, second] = await Promise.all([oncePerRun(run, 'parent', find), oncePerRun(run, 'parent', find)])
    expect([first, second]).to.deep.equal([1, 1], 'callers that ask at once share one search')
    expect(await oncePerRun(run, 'parent', find)).to.equal(1)
    expect(await oncePerRun(run, 'other parent', find)).to.equal(2)
    expect(await oncePerRun(readerContext({}), 'parent', find)).to.equal(3, 'a new run finds again: its source may have changed')
  })

  it('keeps no failure: the next caller searches again', async () => {
    const run = readerContext({})
    let finds = 0
    const failOnce = async () => {
      if (++finds === 1) throw new Error('locked')
      return finds
    }

    let failure: unknown
    await oncePerRun(run, 'parent', failOnce).catch((error: unknown) => (failure = error))
    expect(failure).to.be.instanceOf(Error)
    expect(await oncePerRun(run, 'parent', failOnce)).to.equal(2)
  })
})
