import {expect} from 'chai'

describe('texts kept for the files rewritten whole', () => {
  // The switch is process-wide and a watch turns it on for good: a module of its own is imported
  // here, whatever the tests before did.
  const freshModule = async (): Promise<typeof import('../../src/pipeline/rewrite-cache.js')> => import(`../../src/pipeline/rewrite-cache.js?instance=${Math.random()}`)

  it('keeps nothing in a single run, and what it is given once a watch keeps texts for rewrites', async () => {
    const {RewriteCache, keepForRewrites} = await freshModule()
    const cache = new RewriteCache<object, string>()
    const member = {id: 'a'}
    cache.set(member, '{"id":"a"}')
    expect(cache.get(member)).to.equal(undefined)
    keepForRewrites()
    cache.set(member, '{"id":"a"}')
    expect(cache.get(member)).to.equal('{"id":"a"}')
    expect((await freshModule()).RewriteCache).to.not.equal(RewriteCache)
  })
})
