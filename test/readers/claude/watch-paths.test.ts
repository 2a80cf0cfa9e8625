import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {watchPaths} from '../../../plugins/reader-claude/src/watch-paths.js'
import {tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'
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

  it('also watches the project folder a host named with $CLAUDE_CODE_PROJECT_DIR_NAME, beside $CLAUDE_CONFIG_DIR only', () => {
    const named = (env: NodeJS.ProcessEnv) => watchPaths([root], readerContext(env, {hints: {branch: null, workspace: '/home/dev/app'}})).filter((folder) => folder.endsWith('session-42'))
    expect(named({CLAUDE_CODE_PROJECT_DIR_NAME: 'session-42', CLAUDE_CONFIG_DIR: path.dirname(root)})).to.deep.equal([path.join(root, 'session-42')])
    expect(named({CLAUDE_CODE_PROJECT_DIR_NAME: 'session-42', HOME: '/nonexistent-home'})).to.deep.equal([])
    expect(watchPaths([root], readerContext({CLAUDE_CODE_PROJECT_DIR_NAME: '../x', CLAUDE_CONFIG_DIR: path.dirname(root)}, {hints: {branch: null, workspace: '/home/dev/app'}}))).to.not.include(path.join(root, '..', 'x'))
  })
})
