import type {Interfaces} from '@oclif/core'
import {expect} from 'chai'
import type {Reader, Writer} from '../src/plugin-api.js'
import {countsOf} from '../src/pipeline/facts.js'
import {renderContext} from '../src/pipeline/rendering.js'
import {loadRegistry} from '../src/registry.js'
import {fixtureSession} from './helpers/cli.js'

const reader = (agent: string): Reader => ({agent, discover: async function* () {}, displayName: agent, locate: async () => [], read: async () => ({}) as never})
const writer = (format: string, text = ''): Writer => ({displayName: format, extension: 'txt', format, render: () => text})

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
    const builtInWriter = writer('markdown', 'built-in')
    const registry = await loadRegistry(configWith([
      {plugin: 'sessionsync-plugin-takeover', result: {readers: [reader('claude')], writers: [writer('markdown')]}},
      {plugin: '@sessionsync/reader-claude', result: {readers: [builtInReader]}},
      {plugin: '@sessionsync/writer-markdown', result: {writers: [builtInWriter]}},
    ]))
    expect(registry.readers.get('claude')).to.equal(builtInReader)
    expect(registry.writers.get('markdown')?.render(fixtureSession('empty'), renderContext(() => null, countsOf(fixtureSession('empty'))))).to.equal('built-in')
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

  it("warns of a contribution that is not lists of readers and writers, and keeps the other plugins'", async () => {
    const kept = reader('kept')
    const registry = await loadRegistry(configWith([
      {plugin: 'numbers', result: {readers: 5}},
      {plugin: 'text', result: 'readers'},
      {plugin: 'nothing', result: undefined},
      {plugin: 'fine', result: {readers: [kept]}},
    ]))
    expect([...registry.readers.values()]).to.deep.equal([kept])
    expect(registry.problems).to.deep.equal([
      'plugin numbers contributed nothing usable: its register hook returned readers: 5, not a list; ignored',
      "plugin text contributed nothing usable: its register hook returned 'readers', not {readers, writers}; ignored",
    ])
  })

  it('says what is wrong with a malformed reader or writer, and keeps the well-formed ones beside it', async () => {
    const registry = await loadRegistry(configWith([{
      plugin: 'odd',
      result: {
        readers: [null, {...reader('Claude')}, {...reader('ok'), read: 'read'}, {...reader('ok'), inputs: []}, {...reader('ok'), displayName: 3}, reader('good')],
        writers: [{...writer('csv'), extension: '.csv'}, {...writer('csv'), renderPieces: 1}, {...writer('csv'), render: undefined}, writer('text'), writer('markdown-lean'), writer('csv')],
      },
    }]))
    expect([...registry.readers.keys()]).to.deep.equal(['good'])
    expect([...registry.writers.keys()]).to.deep.equal(['csv'])
    expect(registry.problems).to.deep.equal([
      'plugin odd contributed a malformed reader: it is null, not an object; ignored',
      "plugin odd contributed a malformed reader: its agent 'Claude' is not lowercase letters, digits and dashes, starting with a letter; ignored",
      "plugin odd contributed a malformed reader: its read is 'read', not a function; ignored",
      'plugin odd contributed a malformed reader: its inputs is [], not a function; ignored',
      'plugin odd contributed a malformed reader: its displayName 3 is not text; ignored',
      "plugin odd contributed a malformed writer: its extension '.csv' is not letters and digits (no dot); ignored",
      'plugin odd contributed a malformed writer: its renderPieces is 1, not a function; ignored',
      'plugin odd contributed a malformed writer: its render is undefined, not a function; ignored',
      'plugin odd contributed a malformed writer: its format "text" is the name of a column stats shows of its own; ignored',
      'plugin odd contributed a malformed writer: its format "markdown-lean" is the name of a column stats shows of its own; ignored',
    ])
  })
})
