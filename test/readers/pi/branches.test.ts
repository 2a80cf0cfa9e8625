import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {ABANDONED_MARKERS, allText, discoverAll, FIXTURES, IDS, piHome, readAll, writeSession} from './pi-home.js'
import {piReader} from '../../../plugins/reader-pi/src/reader.js'
import {SessionSchema} from '../../../src/model/session.js'

const fixtureLines = (folder: string, name: string) =>
  readFileSync(path.join(FIXTURES, folder, name), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

const TREE_FILE = `2026-11-20T09-15-00-000Z_${IDS.tree}.jsonl`

describe('Pi reader: branches and forks', () => {
  it('exports no branch the user left without --all-branches', async () => {
    const refs = await discoverAll(piHome().context())
    expect(refs.map((ref) => ref.id).sort()).to.deep.equal(Object.values(IDS).sort())
  })

  it('with --all-branches, exports each branch the user left as a session of its own, forked from the main one', async () => {
    const sessions = await readAll(piHome().context({allBranches: true}))
    const faster = sessions.get(`${IDS.tree}.branch-c3d8e1f7`)!
    const python = sessions.get(`${IDS.tree}.branch-f02b7c64`)!
    expect(faster.title).to.equal('Harden the build script (branch 1)')
    expect(python.title).to.equal('Harden the build script (branch 2)')
    for (const branch of [faster, python]) expect(branch).to.deep.include({forkedFrom: IDS.tree, parentId: null, workspace: '/home/dev/app'})
    expect(faster.messages.map((message) => message.id)).to.deep.equal(['3f9a1c2e', 'b27d40e1', '7e2f0a4b', 'c3d8e1f7'])
    expect(python.messages.map((message) => message.id)).to.deep.equal(['3f9a1c2e', 'b27d40e1', 'c81e5f03', '5a0d7b92', 'e4c2a816', '9d13f6b0', '71be0c4d', '0c6f9e27', 'a5e83d10', 'f02b7c64'])
    expect(allText(python)).to.include('PYTHON-BRANCH').and.not.include('FASTER-BRANCH')
    expect(python.extra.branch).to.deep.equal({leafId: 'f02b7c64', messages: 2, splitFrom: '0c6f9e27'})
    // Up to where it split off, a branch is the main session's.
    expect(python.copiedMessages).to.equal(python.messages.findIndex((message) => message.id === '0c6f9e27') + 1)
    expect(faster.copiedMessages).to.equal(2)
    expect(python.usage?.outputTokens).to.equal(210 + 60 + 45 + 300)
    // The main session is the same with or without the option.
    for (const marker of ABANDONED_MARKERS) expect(allText(sessions.get(IDS.tree)!)).to.not.include(marker)
  })

  it('with --all-branches, reads a file once per run for its main session and the branches it left', async () => {
    const {context} = piHome()
    const run = context({allBranches: true})
    const refs = await discoverAll(run)
    const [main, branch] = [IDS.tree, `${IDS.tree}.branch-f02b7c64`].map((id) => refs.find((ref) => ref.id === id)!)
    await piReader.read(main, run)
    // Later in the same run, the branch is read from what the main session's read loaded.
    const file = main.sourcePath
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('PYTHON-BRANCH', 'EDITED-SINCE'))
    const textOf = async (ctx: typeof run) => allText(SessionSchema.parse(await piReader.read(branch, ctx)))
    expect(await textOf(run)).to.include('PYTHON-BRANCH')
    expect(await textOf(context({allBranches: true})), 'a new run reads the file again').to.include('EDITED-SINCE')
  })

  it('leaves the branches a fork copied from its parent to the parent, and exports the branches of its own', async () => {
    const {agentDir, context} = piHome()
    const forkLines = fixtureLines('--home-dev-app--', `2026-11-22T08-30-00-000Z_${IDS.fork}.jsonl`)
    // After forking, the user went back in the fork and asked something else.
    writeSession(agentDir, `2026-11-22T08-30-00-000Z_fork-with-branch.jsonl`, [
      {...forkLines[0], id: 'fork-with-branch'},
      ...forkLines.slice(1),
      {id: 'f1e2d3c4', message: {content: [{text: 'FORK-RETRY: try GitLab CI instead', type: 'text'}], role: 'user', timestamp: 1_795_336_300_000}, parentId: '8a1f3d6c', timestamp: '2026-11-22T08:31:40.000Z', type: 'message'},
    ])
    const ids = (await discoverAll(context({allBranches: true}))).map((ref) => ref.id)
    expect(ids.filter((id) => id.startsWith(IDS.fork))).to.deep.equal([IDS.fork])
    expect(ids.filter((id) => id.startsWith('fork-with-branch'))).to.deep.equal(['fork-with-branch', 'fork-with-branch.branch-c05a8f13'])
  })

  it("links a fork by its parent's header when the parent file is on this machine", async () => {
    const {agentDir, context} = piHome()
    const tree = fixtureLines('--home-dev-app--', TREE_FILE)
    // Pi's /export writes the same session id under another file name.
    const parent = writeSession(agentDir, 'exported-session.jsonl', [{...tree[0], id: 'exported-parent'}, ...tree.slice(1)])
    writeSession(agentDir, '2026-11-23T10-00-00-000Z_child.jsonl', [{...tree[0], id: 'child', parentSession: parent, timestamp: '2026-11-23T10:00:00.000Z'}, ...tree.slice(1)])
    const sessions = await readAll(context())
    expect(sessions.get('child')?.forkedFrom).to.equal('exported-parent')
    expect(sessions.get('child')?.extra.parentSession).to.equal(parent)
  })
})
