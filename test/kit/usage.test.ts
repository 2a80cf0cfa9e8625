import {expect} from 'chai'
import {totalUsage} from '../../src/kit/usage.js'

const call = (inputTokens: number, costUsd: number | null) => ({cacheReadTokens: 10, cacheWriteTokens: 1, costUsd, inputTokens, outputTokens: 5, reasoningTokens: 2})

describe('kit: totalUsage', () => {
  it('sums the tokens of every call and the cost of those that have one, without float noise', () => {
    expect(totalUsage([call(100, 0.012555), call(200, null), call(300, 0.02511)])).to.deep.equal({cacheReadTokens: 30, cacheWriteTokens: 3, costUsd: 0.037665, inputTokens: 600, outputTokens: 15, reasoningTokens: 6})
  })

  it('has no cost when no call has one, and nothing for no call', () => {
    expect(totalUsage([call(100, null)]).costUsd).to.equal(null)
    expect(totalUsage([])).to.deep.equal({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null, inputTokens: 0, outputTokens: 0, reasoningTokens: 0})
  })
})
