import {expect} from 'chai'
import {appendFileSync, mkdirSync, readFileSync, renameSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {piReader} from '../../../plugins/reader-pi/src/reader.js'
import {REPO, tempDir} from '../../helpers/cli.js'
import {expectEachFileDiscoveredAlone} from '../../helpers/discover-files.js'
import {memoryMemo, readerContext} from '../../helpers/reader-context.js'
import {discoverAll, FIXTURES, IDS, piHome, readAll, writeSession} from './pi-home.js'

describe('Pi reader: finding sessions', () => {
  it('describes the session of a file Pi wrote to alone as a whole discovery does, for watch', async () => {
    const {context} = piHome()
    for (const options of [{}, {allBranches: true}]) expect(await expectEachFileDiscoveredAlone(piReader, context(options))).to.equal(Object.keys(IDS).length)
    // A file deleted, or one that is not a session file, quietly holds none.
    const ctx = context()
    const roots = await piReader.locate(ctx)
    writeFileSync(path.join(roots[0], 'notes.txt'), 'not a session\n')
    const found: string[] = []
    for await (const ref of piReader.discoverFiles!([path.join(roots[0], '--tmp-project--', 'gone.jsonl'), path.join(roots[0], 'notes.txt')], roots, ctx)) found.push(ref.id)
    expect(found).to.deep.equal([])
    expect(ctx.warnings).to.deep.equal([])
  })

  it("finds Pi's agent folder under HOME, or where $PI_CODING_AGENT_DIR points (with ~ expanded)", async () => {
    const home = tempDir('sessionsync-pi-home-')
    mkdirSync(path.join(home, '.pi/agent/sessions'), {recursive: true})
    mkdirSync(path.join(home, 'elsewhere/sessions'), {recursive: true})
    expect(await piReader.locate(readerContext({HOME: home}))).to.deep.equal([path.join(home, '.pi/agent/sessions')])
    expect(await piReader.locate(readerContext({HOME: home, PI_CODING_AGENT_DIR: '~/elsewhere'}))).to.deep.equal([path.join(home, 'elsewhere/sessions')])
    expect(await piReader.locate(readerContext({HOME: path.join(home, 'nobody')}))).to.deep.equal([])
  })

  it('follows a project folder linked from elsewhere, as Pi 1.x does, and a link back up the tree only once', async () => {
    const {agentDir, context} = piHome()
    const before = (await discoverAll(context())).length
    const elsewhere = path.join(tempDir(), '--srv-app--')
    mkdirSync(elsewhere)
    const id = '019ab3c4-1111-7000-8000-00000000aaaa'
    writeFileSync(path.join(elsewhere, `2026-11-25T12-00-00-000Z_${id}.jsonl`), [
      {cwd: '/srv/app', id, timestamp: '2026-11-25T12:00:00.000Z', type: 'session', version: 3},
      {id: 'c0000001', message: {content: 'Hello from a linked folder', role: 'user', timestamp: 1_795_867_200_000}, parentId: null, timestamp: '2026-11-25T12:00:00.000Z', type: 'message'},
    ].map((line) => JSON.stringify(line)).join('\n') + '\n')
    symlinkSync(elsewhere, path.join(agentDir, 'sessions', '--srv-app--'))
    symlinkSync(path.join(agentDir, 'sessions'), path.join(elsewhere, 'loop'))
    const refs = await discoverAll(context())
    expect(refs.filter((ref) => ref.id === id).map((ref) => ref.workspace)).to.deep.equal(['/srv/app'])
    expect(refs).to.have.length(before + 1)
  })

  it("counts a session in a project folder renamed after its project moved as the run's workspace's, as Pi lists it", async () => {
    // /home/dev/app moved to /srv/app, with its subfolder services/api; their folders were renamed so that Pi finds them.
    const {agentDir, env} = piHome()
    const sessions = path.join(agentDir, 'sessions')
    renameSync(path.join(sessions, '--home-dev-app--'), path.join(sessions, '--srv-app--'))
    renameSync(path.join(sessions, '--home-dev-app-services-api--'), path.join(sessions, '--srv-app-services-api--'))
    const workspaces = async (workspace: string | null) => new Map((await discoverAll(readerContext(env, {hints: {branch: null, workspace}}))).map((ref) => [ref.id, ref.workspace]))
    const moved = await workspaces('/srv/app')
    expect([moved.get(IDS.tree), moved.get(IDS.fork), moved.get(IDS.compacted), moved.get(IDS.v1)]).to.deep.equal(['/srv/app', '/srv/app', '/srv/app/services/api', '/home/dev/legacy'])
    expect((await workspaces('/home/dev/app')).get(IDS.tree), 'run where the project was').to.equal('/home/dev/app')
    expect((await workspaces(null)).get(IDS.compacted), 'run over every folder').to.equal('/home/dev/app/services/api')
    // Read, a session says so too, and where it ran; the files it changed are named where they are now.
    const read = (workspace: string | null) => readAll(readerContext(env, {hints: {branch: null, workspace}}))
    const [session, unmoved] = [(await read('/srv/app')).get(IDS.tree)!, (await read(null)).get(IDS.tree)!]
    expect([session.workspace, session.extra.movedFrom, unmoved.extra.movedFrom]).to.deep.equal(['/srv/app', '/home/dev/app', undefined])
    expect(unmoved.filesChanged).to.not.deep.equal([])
    expect(session.filesChanged).to.deep.equal(unmoved.filesChanged.map((file) => file.replace('/home/dev/app/', '/srv/app/')))
  })

  it('also looks where $PI_CODING_AGENT_SESSION_DIR and the sessionDir setting put sessions', async () => {
    const home = tempDir('sessionsync-pi-home-')
    for (const folder of ['.pi/agent/sessions', 'from-env', 'from-settings']) mkdirSync(path.join(home, folder), {recursive: true})
    writeFileSync(path.join(home, '.pi/agent/settings.json'), JSON.stringify({sessionDir: '~/from-settings'}))
    const roots = await piReader.locate(readerContext({HOME: home, PI_CODING_AGENT_SESSION_DIR: path.join(home, 'from-env')}))
    expect(roots).to.deep.equal(['.pi/agent/sessions', 'from-env', 'from-settings'].map((folder) => path.join(home, folder)))
  })

  it("finds the sessions a project's own sessionDir put in it (Pi 0.73.1 and 1.6.0: `.pi/sessions`), and resolves a relative folder from the workspace, as Pi does from where it runs", async () => {
    const root = tempDir('sessionsync-pi-project-')
    const [home, workspace, other] = ['home', 'app', 'other'].map((folder) => path.join(root, folder))
    const sample = path.join(REPO, 'test/agents/samples/pi-1/sessions/--tmp-conformance-pi-1-workspace--/2026-12-02T06-20-19-802Z_01a23569-3fd9-77aa-90bb-185c2de5e1d8.jsonl')
    // The session as Pi writes it there: directly in the folder, its header naming the project.
    const inProject = (folder: string) => {
      mkdirSync(path.join(folder, '.pi/sessions'), {recursive: true})
      writeFileSync(path.join(folder, '.pi/sessions', path.basename(sample)), readFileSync(sample, 'utf8').replaceAll('/tmp/conformance/pi-1/workspace', folder))
    }
    inProject(workspace)
    inProject(other)
    mkdirSync(path.join(home, '.pi/agent/sessions'), {recursive: true})
    const env = {HOME: home}
    const sessionsOf = async (at: string | null) => (await discoverAll(readerContext(env, {hints: {branch: null, workspace: at}}))).map((ref) => ref.workspace)

    // Without a setting, the project's folder is none of Pi's.
    expect(await sessionsOf(workspace)).to.deep.equal([])
    writeFileSync(path.join(workspace, '.pi/settings.json'), JSON.stringify({sessionDir: '.pi/sessions'}))
    expect(await sessionsOf(workspace), 'the project setting').to.deep.equal([workspace])
    expect(await piReader.inputs!(readerContext(env, {hints: {branch: null, workspace}})), 'what a run with nothing to do looks at').to.include.members([path.join(workspace, '.pi/settings.json'), path.join(workspace, '.pi/sessions')])
    // A relative global setting: each project keeps its own, found from the workspace asked for, wherever sessionsync runs.
    writeFileSync(path.join(home, '.pi/agent/settings.json'), JSON.stringify({sessionDir: '.pi/sessions'}))
    expect(await sessionsOf(other), 'the global setting, relative').to.deep.equal([other])
    expect(await sessionsOf(workspace)).to.deep.equal([workspace])
    const ctx = readerContext({...env, PI_CODING_AGENT_SESSION_DIR: '.pi/sessions'}, {hints: {branch: null, workspace: other}})
    expect(await piReader.locate(ctx)).to.deep.equal([path.join(home, '.pi/agent/sessions'), path.join(other, '.pi/sessions')])
    // A project settings file that is not JSON is passed over, saying so under --verbose.
    writeFileSync(path.join(workspace, '.pi/settings.json'), '{"sessionDir": ')
    const broken = readerContext({HOME: path.join(root, 'nobody')}, {hints: {branch: null, workspace}})
    expect(await piReader.locate(broken)).to.deep.equal([])
    expect(broken.debugs.join('\n')).to.include(`${path.join(workspace, '.pi/settings.json')}: not valid JSON`)
  })

  it('remembers the head of an unchanged file between runs, and looks again once it changes', async () => {
    const {agentDir, env} = piHome()
    const memo = memoryMemo()
    const context = () => readerContext(env, {memo})
    const file = path.join(agentDir, 'sessions/--home-dev-app--', `2026-11-20T09-15-00-000Z_${IDS.tree}.jsonl`)
    const titleOf = async () => (await discoverAll(context())).find((ref) => ref.id === IDS.tree)!.title
    const then = new Date('2026-11-20T10:00:00Z')
    utimesSync(file, then, then)
    const first = await titleOf()
    // Same size and time, other content: the file is not opened again.
    writeFileSync(file, readFileSync(file, 'utf8').replace(first!, 'X'.repeat(first!.length)))
    utimesSync(file, then, then)
    expect(await titleOf()).to.equal(first)
    utimesSync(file, then, new Date(then.getTime() + 1000))
    expect(await titleOf()).to.equal('X'.repeat(first!.length))
  })

  it('describes each session from its first lines: id, workspace, times, size, title', async () => {
    const {agentDir, context} = piHome()
    const refs = await discoverAll(context())
    expect(refs.map((ref) => ref.id).sort()).to.deep.equal(Object.values(IDS).sort())
    const tree = refs.find((ref) => ref.id === IDS.tree)!
    const file = path.join(agentDir, 'sessions/--home-dev-app--', `2026-11-20T09-15-00-000Z_${IDS.tree}.jsonl`)
    expect(tree).to.deep.include({
      agent: 'pi',
      createdAt: '2026-11-20T09:15:00.000Z',
      gitBranches: [],
      parentId: null,
      sizeBytes: readFileSync(file).length,
      sourcePath: file,
      // The name the user set, at the end of the file, past the head.
      title: 'Harden the build script',
      workspace: '/home/dev/app',
    })
    expect(tree.fingerprint).to.match(/^\d+:\d+$/)
  })

  it('takes a session as last active when its last entry was written, not when its file was (a copied history), unless no entry near the end fits the look', async () => {
    const {agentDir, context} = piHome()
    const folder = path.join(agentDir, 'sessions/--home-dev-app--')
    const tree = path.join(folder, `2026-11-20T09-15-00-000Z_${IDS.tree}.jsonl`)
    const copiedAt = new Date('2026-12-01T08:00:00Z')
    utimesSync(tree, copiedAt, copiedAt)
    // Its last entry, a tool result longer than the end read for it, is cut by the second look too.
    const fork = path.join(folder, `2026-11-22T08-30-00-000Z_${IDS.fork}.jsonl`)
    appendFileSync(fork, `${JSON.stringify({id: 'b16b16b1', message: {content: [{text: 'y'.repeat(70 * 1024), type: 'text'}], role: 'toolResult'}, parentId: 'e7b45a09', timestamp: '2026-11-22T09:00:00.000Z', type: 'message'})}\n`)
    utimesSync(fork, copiedAt, copiedAt)
    const refs = await discoverAll(context())
    expect(refs.find((ref) => ref.id === IDS.tree)?.updatedAt).to.equal('2026-11-20T09:15:19.000Z')
    expect(refs.find((ref) => ref.id === IDS.fork)?.updatedAt).to.equal(copiedAt.toISOString())
  })

  it('keeps, of two files that hold one session (as Pi 1.5\'s /import could leave), the one whose last entry is newest, and says so naming both', async () => {
    const {agentDir, context} = piHome()
    const id = '019a2222-3333-7444-8555-666677778888'
    const prompt = [
      {cwd: '/tmp/project', id, timestamp: '2026-11-30T10:00:00.000Z', type: 'session', version: 3},
      {id: 'c0000001', message: {content: 'Summarise the README', role: 'user', timestamp: 1_795_989_601_000}, parentId: null, timestamp: '2026-11-30T10:00:01.000Z', type: 'message'},
    ]
    const reply = {id: 'c0000002', message: {api: 'openai-responses', content: [{text: 'It describes the build.', type: 'text'}], model: 'gpt-5.5', provider: 'openai', role: 'assistant', stopReason: 'stop', timestamp: 1_795_989_660_000}, parentId: 'c0000001', timestamp: '2026-11-30T10:01:00.000Z', type: 'message'}
    // The copy continued (the later reply) and the copy left behind, touched since: the file's time does not tell.
    const continued = writeSession(agentDir, `2026-11-30T10-00-00-000Z_${id}.jsonl`, [...prompt, reply])
    const left = writeSession(agentDir, `2026-11-30T10-00-00-000Z_${id}-1.jsonl`, prompt)
    const touched = new Date('2026-12-01T08:00:00Z')
    utimesSync(left, touched, touched)
    for (const order of [[continued, left], [left, continued]]) {
      const ctx = context()
      const found: string[] = []
      for await (const ref of piReader.discoverFiles!(order, await piReader.locate(ctx), ctx)) if (ref.id === id) found.push(ref.sourcePath)
      expect(found).to.deep.equal([continued])
      expect(ctx.warnings).to.have.length(1)
      expect(ctx.warnings[0]).to.include(continued).and.to.include(left).and.to.include(id)
    }

    const sessions = await readAll(context())
    expect(JSON.stringify(sessions.get(id)!.messages)).to.include('It describes the build.')
  })

  it('parses no more than the head of a file and its names at discovery, and takes the latest name for the title, as the export does', async () => {
    const {agentDir, context} = piHome()
    const file = path.join(agentDir, 'sessions/--home-dev-app-services-api--', `2026-11-21T14-02-11-250Z_${IDS.compacted}.jsonl`)
    const named = (name: string, id: string) => `{"type":"session_info","id":"${id}","parentId":"2e9d8b46","timestamp":"2026-11-21T15:00:00.000Z","name":"${name}"}\n`
    appendFileSync(file, named('Early name', 'aa11bb21') + '{"type":"message", this line is corrupt\n' + named('Late name', 'aa11bb22'))
    const ctx = context()
    const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === IDS.compacted)!
    expect(ctx.warnings, 'the corrupt line is left to the export').to.deep.equal([])
    expect(ref.title).to.equal('Late name')
    const session = await piReader.read(ref, ctx)
    expect(session.title).to.equal('Late name')
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(/2026-11-21T14-02-11-250Z_019ab7e1-0c44-7d2b-8f60-93a5c1d2e4b7\.jsonl:17: skipped a corrupt line/)
  })

  it('titles a session nobody named by its first prompt, on one line and cut to 160 characters, in the list as in the export', async () => {
    const {agentDir, context} = piHome()
    const prompt = `Fix the build:\n\n  ${'the linker fails on every target '.repeat(8)}`
    const entry = {id: 'a1', message: {content: [{text: prompt, type: 'text'}], role: 'user', timestamp: 1_795_860_000_000}, parentId: null, timestamp: '2026-11-24T10:00:01.000Z', type: 'message'}
    writeSession(agentDir, 'long-prompt.jsonl', [{cwd: '/tmp/project', id: 'long-prompt', timestamp: '2026-11-24T10:00:00.000Z', type: 'session', version: 3}, entry])
    const title = `Fix the build: ${'the linker fails on every target '.repeat(5).slice(0, 159 - 15).trimEnd()}…`
    expect(title).to.have.length.of.at.most(160)
    expect((await discoverAll(context())).find((ref) => ref.id === 'long-prompt')!.title).to.equal(title)
    expect((await readAll(context())).get('long-prompt')!.title).to.equal(title)
  })

  it('gives every session the branch the workspace is on now', async () => {
    const {agentDir, context} = piHome()
    const workspace = tempDir('sessionsync-pi-repo-')
    mkdirSync(path.join(workspace, '.git'))
    writeFileSync(path.join(workspace, '.git/HEAD'), 'ref: refs/heads/feature/pi\n')
    const lines = readFileSync(path.join(FIXTURES, '--home-dev-legacy--', `2025-11-03T10-20-30-400Z_${IDS.v1}.jsonl`), 'utf8').split('\n')
    const header = {...JSON.parse(lines[0]), cwd: workspace, id: 'in-a-repo'}
    writeSession(agentDir, '2025-11-03T10-20-30-400Z_in-a-repo.jsonl', [header], lines.slice(1).join('\n'))
    const ctx = context()
    const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === 'in-a-repo')!
    expect(ref.gitBranches).to.deep.equal(['feature/pi'])
    expect((await piReader.read(ref, ctx)).gitBranch).to.deep.equal({first: 'feature/pi', last: 'feature/pi', readAtExport: true, seen: ['feature/pi']})
  })

  it('watches the session folders', async () => {
    const {agentDir, context} = piHome()
    const ctx = context()
    expect(piReader.watchPaths!(await piReader.locate(ctx), ctx)).to.deep.equal([path.join(agentDir, 'sessions')])
  })
})
