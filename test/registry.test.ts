import type {Interfaces} from '@oclif/core'
import {expect} from 'chai'
import type {Reader, Writer} from '../src/plugin-api.js'
import {loadRegistry} from '../src/registry.js'

const reader = (agent: string): Reader => ({agent, discover: async function* () {}, displayName: agent, locate: async () => [], read: async () => ({}) as never})
const writer = (format: string): Writer => ({displayName: format, extension: 'txt', format, render: () => ''})

let configs = 0

/**
 * Just what the registry asks of oclif's configuration: the root's package.json, and the register
 * hooks' results in the order given (oclif gives them in the order they finish).
 */
function configWith(contributions: {plugin: string; version?: string; result: unknown}[]): Interfaces.Config {
  const successes = contributions.map(({plugin, result, version = '1.0.0'}) => ({plugin: {name: plugin, version}, result}))
  return {
    name: 'sessionsync',
    pjson: {oclif: {plugins: ['@oclif/plugin-help', '@sessionsync/reader-claude', '@sessionsync/writer-markdown']}},
    plugins: new Map(),
    // A root of its own: the registry is kept per configuration.
    root: `/test/registry/${++configs}`,
    runHook: async () => ({failures: [], successes}),
  } as unknown as Interfaces.Config
}

describe('registry', () => {
  it("keeps a built-in plugin's agent and format whichever hook finished first, and names the plugin whose contribution is ignored", async () => {
    const builtInReader = reader('claude')
    const builtInWriter = writer('markdown')
    const registry = await loadRegistry(configWith([
      {plugin: 'sessionsync-plugin-takeover', result: {readers: [reader('claude')], writers: [writer('markdown')]}},
      {plugin: '@sessionsync/reader-claude', result: {readers: [builtInReader]}},
      {plugin: '@sessionsync/writer-markdown', result: {writers: [builtInWriter]}},
    ]))
    expect(registry.readers.get('claude')).to.equal(builtInReader)
    expect(registry.writers.get('markdown')).to.equal(builtInWriter)
    expect(registry.problems).to.deep.equal([
      'plugin sessionsync-plugin-takeover contributed a reader named "claude", which plugin @sessionsync/reader-claude contributes already; sessionsync-plugin-takeover\'s is ignored',
      'plugin sessionsync-plugin-takeover contributed a writer named "markdown", which plugin @sessionsync/writer-markdown contributes already; sessionsync-plugin-takeover\'s is ignored',
    ])
  })

  it('gives a name two other plugins contribute to the first of them by plugin name', async () => {
    const first = reader('shared')
    for (const order of [['b-plugin', 'a-plugin'], ['a-plugin', 'b-plugin']]) {
      const registry = await loadRegistry(configWith(order.map((plugin) => ({plugin, result: {readers: [plugin === 'a-plugin' ? first : reader('shared')]}}))))
      expect(registry.readers.get('shared'), order.join(' then ')).to.equal(first)
      expect(registry.problems).to.deep.equal(['plugin b-plugin contributed a reader named "shared", which plugin a-plugin contributes already; b-plugin\'s is ignored'])
    }
  })
})
