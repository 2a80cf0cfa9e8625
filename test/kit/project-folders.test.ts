import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {projectFoldersFor} from '../../src/kit/project-folders.js'
import {tempDir} from '../helpers/cli.js'

describe('project folders for a workspace', () => {
  const root = tempDir()
  const cut = `-home-dev-${'x'.repeat(190)}-1k2j3h`
  // Claude Code's names (every other character a dash) and Pi's (only separators replaced).
  for (const folder of ['-home-dev-app', '-home-dev-app-api', '-home-dev-app2', '-home-dev-other', '-home-dev-my-app', '-Home-Dev-App-Docs', '--home-dev-my_app--', '--home-dev-app--', cut]) mkdirSync(path.join(root, folder))
  // A file is not a project folder.
  writeFileSync(path.join(root, '-home-dev-app.jsonl'), '')
  const names = (workspace: string, cutNameLength?: number) => projectFoldersFor(root, workspace, {cutNameLength}).map((folder) => path.basename(folder)).sort()

  it('keeps the folders of the workspace and of folders below it, whatever became of the other characters, case aside', () => {
    expect(names('/home/dev/app')).to.deep.equal(['--home-dev-app--', '-Home-Dev-App-Docs', '-home-dev-app', '-home-dev-app-api', '-home-dev-app2'].sort())
    expect(names('/home/dev/my_app')).to.deep.equal(['--home-dev-my_app--', '-home-dev-my-app'].sort())
    expect(names('/home/dev/my.app')).to.deep.equal(['--home-dev-my_app--', '-home-dev-my-app'].sort())
  })

  it('keeps names the agent cut, which say too little', () => {
    expect(names('/home/dev/other', 200)).to.deep.equal([cut, '-home-dev-other'].sort())
    expect(names('/home/dev/other')).to.deep.equal(['-home-dev-other'])
  })

  it('finds none in a folder that cannot be listed', () => {
    expect(projectFoldersFor(path.join(root, 'missing'), '/home/dev/app')).to.deep.equal([])
  })
})
