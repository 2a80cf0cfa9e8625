import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {unsupportedNode} from '../../src/node-version.js'
import {BIN, tempDir} from '../helpers/cli.js'

describe('the Node.js it runs on', () => {
  it('refuses a Node.js older than 20, saying which it is and what to do', () => {
    expect(unsupportedNode('18.20.8')).to.equal('sessionsync needs Node.js 20 or newer, and this is Node.js 18.20.8: install a newer one (https://nodejs.org), then run sessionsync again.')
    for (const version of ['20.0.0', '22.23.5', '26.12.1', '30.0.0-pre']) expect(unsupportedNode(version), version).to.equal(null)
  })

  it('says so and exits 1 before anything else, where it would otherwise fail inside an export', () => {
    // Node 18 as far as sessionsync can tell: the version it reads is set before it starts.
    const pretend = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"18.20.8"})'
    for (const args of [[], ['--version'], ['list']]) {
      const run = spawnSync(process.execPath, ['--import', pretend, BIN, ...args], {cwd: tempDir(), encoding: 'utf8', env: {HOME: tempDir(), PATH: process.env.PATH}})
      expect(run.status, args.join(' ')).to.equal(1)
      expect(run.stdout).to.equal('')
      expect(run.stderr).to.equal('sessionsync needs Node.js 20 or newer, and this is Node.js 18.20.8: install a newer one (https://nodejs.org), then run sessionsync again.\n')
    }
  })
})
