import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {watchPaths} from '../../../plugins/reader-claude/src/watch-paths.js'
import {tempDir} from '../../helpers/cli.js'
import {claudeContext} from './helpers.js'

describe('Claude Code watch paths', () => {
  const root = path.join(tempDir(), 'projects')
  const cut = `-home-dev-${'x'.repeat(190)}-1k2j3h`
  for (const folder of ['-home-dev-app', '-home-dev-app-api', '-home-dev-app2', '-home-dev-other', '-home-dev-my-app', '-Home-Dev-App-Docs', cut]) mkdirSync(path.join(root, folder), {recursive: true})
  // A stray file is not a project folder.
  writeFileSync(path.join(root, '-home-dev-app.jsonl'), '')
  const watched = (workspace: string | null) => watchPaths([root], claudeContext(undefined, {hints: {branch: null, workspace}})).map((folder) => path.basename(folder)).sort()

  it('watches the project folders that can hold sessions of the workspace or below, and those whose cut name says too little', () => {
    expect(watched('/home/dev/app')).to.deep.equal([cut, '-Home-Dev-App-Docs', '-home-dev-app', '-home-dev-app-api', '-home-dev-app2'].sort())
  })

  it('compares only letters and digits, so a folder named with other characters replaced still counts', () => {
    expect(watched('/home/dev/my_app')).to.deep.equal([cut, '-home-dev-my-app'].sort())
    expect(watched('/home/dev/my.app')).to.deep.equal([cut, '-home-dev-my-app'].sort())
  })

  it('watches the whole projects folder without a single workspace', () => {
    expect(watchPaths([root], claudeContext())).to.deep.equal([root])
  })
})
