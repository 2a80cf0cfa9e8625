import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {watchPaths} from '../../../plugins/reader-pi/src/watch-paths.js'
import {tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'

describe('Pi watch paths', () => {
  const agentDir = tempDir('sessionsync-pi-')
  const own = path.join(agentDir, 'sessions')
  const elsewhere = tempDir('sessionsync-pi-dir-')
  for (const folder of ['--home-dev-app--', '--home-dev-app-api--', '--home-dev-other--']) mkdirSync(path.join(own, folder), {recursive: true})
  const watched = (workspace: string | null, roots = [own, elsewhere]) => watchPaths(roots, readerContext({HOME: tempDir(), PI_CODING_AGENT_DIR: agentDir}, {hints: {branch: null, workspace}}))

  it('watches the project folders of its own sessions folder that can hold the workspace, and a folder set by the user whole', () => {
    expect(watched('/home/dev/app')).to.have.members([path.join(own, '--home-dev-app--'), path.join(own, '--home-dev-app-api--'), elsewhere])
  })

  it('watches everything without a single workspace', () => {
    expect(watched(null)).to.deep.equal([own, elsewhere])
  })

  it('watches its own sessions folder whole when a setting put session files straight into it', () => {
    writeFileSync(path.join(own, '2026-11-30T10-00-00-000Z_019ab7e1-0c44-7d2b-8f60-93a5c1d2e4b7.jsonl'), '')
    expect(watched('/home/dev/app', [own])).to.deep.equal([own])
  })
})
