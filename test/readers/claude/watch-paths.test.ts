import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {watchPaths} from '../../../plugins/reader-claude/src/watch-paths.js'
import {tempDir} from '../../helpers/cli.js'
import {claudeContext} from './helpers.js'

describe('Claude Code watch paths', () => {
  const root = path.join(tempDir(), 'projects')
  const cut = `-home-dev-${'x'.repeat(190)}-1k2j3h`
  for (const folder of ['-home-dev-app', '-home-dev-app-api', '-home-dev-other', cut]) mkdirSync(path.join(root, folder), {recursive: true})
  const watched = (workspace: string | null) => watchPaths([root], claudeContext(undefined, {hints: {branch: null, workspace}}))

  it('watches the project folders that can hold sessions of the workspace or below, and those whose name Claude Code cut', () => {
    expect(watched('/home/dev/app').map((folder) => path.basename(folder)).sort()).to.deep.equal([cut, '-home-dev-app', '-home-dev-app-api'].sort())
  })

  it('watches the whole projects folder without a single workspace', () => {
    expect(watched(null)).to.deep.equal([root])
  })
})
