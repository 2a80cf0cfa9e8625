import {expect} from 'chai'
import {homedir} from 'node:os'
import type {Reader} from '../../src/plugin-api.js'
import {type Log, readerContext} from '../../src/pipeline/plan.js'

describe('the context readers work in', () => {
  const reader = {agent: 'example', displayName: 'Example'} as Reader
  const quiet: Log = {debug() {}, info() {}, warn() {}}
  const homeWith = (env: NodeJS.ProcessEnv) => readerContext(reader, {branch: null, env, readerOptions: {}, workspaces: null}, quiet, {count: 0}).home

  it("finds the agents' folders in HOME, or else in the account's home, never relative to the current folder", () => {
    expect(homeWith({HOME: '/home/dev'})).to.equal('/home/dev')
    expect(homeWith({USERPROFILE: 'C:\\Users\\dev'})).to.equal('C:\\Users\\dev')
    for (const env of [{}, {HOME: ''}]) expect(homeWith(env), JSON.stringify(env)).to.equal(homedir())
  })
})
