import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {branchAtExport, currentGitBranch} from '../../src/kit/git.js'
import {tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'

describe('kit: currentGitBranch', () => {
  it('reads the branch of a work tree, a detached HEAD, a linked worktree, and nothing outside git', async () => {
    const root = tempDir()
    mkdirSync(path.join(root, 'repo/.git'), {recursive: true})
    mkdirSync(path.join(root, 'repo/src/deep'), {recursive: true})
    writeFileSync(path.join(root, 'repo/.git/HEAD'), 'ref: refs/heads/feature/x\n')
    expect(await currentGitBranch(path.join(root, 'repo/src/deep'))).to.equal('feature/x')
    writeFileSync(path.join(root, 'repo/.git/HEAD'), '0123456789abcdef0123456789abcdef01234567\n')
    expect(await currentGitBranch(path.join(root, 'repo'))).to.equal('HEAD')
    mkdirSync(path.join(root, 'repo/.git/worktrees/wt'), {recursive: true})
    writeFileSync(path.join(root, 'repo/.git/worktrees/wt/HEAD'), 'ref: refs/heads/wt-branch\n')
    mkdirSync(path.join(root, 'wt'))
    writeFileSync(path.join(root, 'wt/.git'), `gitdir: ${path.join(root, 'repo/.git/worktrees/wt')}\n`)
    expect(await currentGitBranch(path.join(root, 'wt'))).to.equal('wt-branch')
    expect(await currentGitBranch(path.join(root, 'missing'))).to.equal(null)
  })

  it('says null, never throws, for a folder below a file or a git folder without HEAD', async () => {
    const root = tempDir()
    writeFileSync(path.join(root, 'file'), 'not a folder')
    expect(await currentGitBranch(path.join(root, 'file/below'))).to.equal(null)
    mkdirSync(path.join(root, 'broken/.git'), {recursive: true})
    expect(await currentGitBranch(path.join(root, 'broken'))).to.equal(null)
  })
})

describe('kit: branchAtExport', () => {
  it("gives a folder's branch, marked as read at export, read once per run: every session of a project asks", async () => {
    const root = tempDir()
    mkdirSync(path.join(root, 'repo/.git'), {recursive: true})
    const head = path.join(root, 'repo/.git/HEAD')
    writeFileSync(head, 'ref: refs/heads/main\n')
    const run = readerContext({})
    const branch = {first: 'main', last: 'main', readAtExport: true, seen: ['main']}
    expect(await branchAtExport(path.join(root, 'repo'), run)).to.deep.equal(branch)
    writeFileSync(head, 'ref: refs/heads/feature\n')
    expect(await branchAtExport(path.join(root, 'repo'), run)).to.deep.equal(branch, 'the same run reads it once')
    expect((await branchAtExport(path.join(root, 'repo'), readerContext({}))).seen).to.deep.equal(['feature'], 'the next run (a watch export) reads it again')
    expect(await branchAtExport(null, run)).to.deep.equal({first: null, last: null, readAtExport: true, seen: []})
  })
})
