import {appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {tempDir} from '../../helpers/cli.js'
import {expectEachFileDiscoveredAlone} from '../../helpers/discover-files.js'
import {memoryMemo} from '../../helpers/reader-context.js'
import {claudeReader} from '../../../plugins/reader-claude/src/reader.js'
import {claudeContext, discoverAll, FIXTURE, readSession, REAL_SAMPLES, SESSION} from './helpers.js'

describe('Claude Code reader: discovery', function () {
  it('finds every main session and subagent of every layout, but no warm-up or compaction agent', async function () {
    const ctx = claudeContext()
    const refs = await discoverAll(ctx)
    expect(ctx.warnings, 'nothing to warn about in these files').to.deep.equal([])
    const ids = refs.map((ref) => ref.id).sort()
    expect(ids).to.include.members([...Object.values(SESSION), 'agent-5e1f0a9c', 'agent-a3f29c1d7e8b4a60'])
    const inline = refs.filter((ref) => ref.parentId === SESSION.v1)
    expect(inline, 'the 1.0.x subagent kept inside its parent file').to.have.length(1)
    expect(ids).to.not.include('agent-0c0ffee0')
    expect(ids.filter((id) => /acompact|aprompt_suggestion|aside_question/.test(id)), 'Claude Code\'s own side calls').to.deep.equal([])
    expect(refs).to.have.length(Object.values(SESSION).length + 3)
  })

  it('describes the sessions of the files Claude Code wrote to alone as a whole discovery does, for watch', async function () {
    for (const options of [{}, {allBranches: true}]) expect(await expectEachFileDiscoveredAlone(claudeReader, claudeContext(FIXTURE, {options}))).to.be.at.least(9)
    // What holds no session of its own, quietly nothing: a warm-up agent, a tool's output, a meta
    // file, an index, a file deleted, a file outside the data folder.
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const ctx = claudeContext(config)
    const project = path.join(config, 'projects', '-home-dev-app')
    writeFileSync(path.join(project, 'sessions-index.json'), JSON.stringify({entries: [], version: 1}))
    const sessionFolder = path.join(project, SESSION.v21)
    const files = [
      path.join(project, 'agent-0c0ffee0.jsonl'), path.join(sessionFolder, 'tool-results', 'toolu_03log.txt'),
      path.join(sessionFolder, 'subagents', 'agent-a3f29c1d7e8b4a60.meta.json'), path.join(project, 'sessions-index.json'), path.join(project, 'deleted-0000.jsonl'), path.join(tempDir(), 'elsewhere.jsonl'),
    ]
    const found: string[] = []
    for await (const ref of claudeReader.discoverFiles!(files, await claudeReader.locate(ctx), ctx)) found.push(ref.id)
    expect(found).to.deep.equal([])
    expect(ctx.warnings).to.deep.equal([])
    expect(ctx.debugs.join('\n'), 'not even opened').to.not.contain('sessions-index.json')
  })

  it("changes a session's fingerprint when only a side call's file changes, and gives that session for the side call's file, for watch", async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const ctx = claudeContext(config)
    const roots = await claudeReader.locate(ctx)
    const project = path.join(config, 'projects', '-home-dev-app')
    const sideQuestion = path.join(project, SESSION.v21, 'subagents', 'agent-aside_question-8e2f4a91c07b5d36.jsonl')
    const fingerprintOf = async () => (await discoverAll(ctx)).find((ref) => ref.id === SESSION.v21)!.fingerprint
    const before = await fingerprintOf()
    appendFileSync(sideQuestion, '\n')
    const after = await fingerprintOf()
    expect(after).to.not.equal(before)
    const alone: string[] = []
    for await (const ref of claudeReader.discoverFiles!([sideQuestion, path.join(path.dirname(sideQuestion), 'agent-acompact-3b9e21.jsonl')], roots, ctx)) {
      alone.push(ref.id)
      if (ref.id === SESSION.v21) expect(ref.fingerprint).to.equal(after)
    }

    expect(alone.sort(), 'the session and its subagent, once').to.deep.equal(['agent-a3f29c1d7e8b4a60', SESSION.v21].sort())
    const unrelated = (await discoverAll(ctx)).find((ref) => ref.id === SESSION.v2)!
    expect(unrelated.fingerprint, 'a session without side calls keeps its transcript\'s fingerprint').to.equal(`${unrelated.sizeBytes}:${Math.trunc(statSync(unrelated.sourcePath).mtimeMs)}`)
  })

  it('takes the workspace from the records, not from the folder name', async function () {
    const refs = await discoverAll(claudeContext())
    const byId = new Map(refs.map((ref) => [ref.id, ref]))
    expect(byId.get(SESSION.v21)!.workspace).to.equal('/home/dev/app')
    expect(byId.get(SESSION.otherWorkspace)!.workspace).to.equal('/home/dev/other')
  })

  it("counts a session in a project folder renamed after its project moved as the run's workspace's, as Claude Code lists it", async function () {
    // /home/dev/app moved to /srv/app, and its folder was renamed so that Claude Code finds its history there.
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    renameSync(path.join(config, 'projects', '-home-dev-app'), path.join(config, 'projects', '-srv-app'))
    const workspaces = async (workspace: string | null) => {
      const refs = await discoverAll(claudeContext(config, {hints: {branch: null, workspace}}))
      return new Map(refs.map((ref) => [ref.id, ref.workspace]))
    }

    const moved = await workspaces('/srv/app')
    expect(moved.get(SESSION.v21)).to.equal('/srv/app')
    expect(moved.get('agent-a3f29c1d7e8b4a60'), 'its subagent too').to.equal('/srv/app')
    expect(moved.get(SESSION.otherWorkspace), 'a session in the folder of the folder it recorded').to.equal('/home/dev/other')
    // Run where the project was, or over every folder, the sessions keep the folder they recorded.
    expect((await workspaces('/home/dev/app')).get(SESSION.v21)).to.equal('/home/dev/app')
    expect((await workspaces(null)).get(SESSION.v21)).to.equal('/home/dev/app')
    // The folder of a project that did not move: a session another project's folder holds is that project's.
    expect((await workspaces('/srv/other')).get(SESSION.v21)).to.equal('/home/dev/app')

    // Read, a session says so too, and where it ran; the files it changed are named where they are now.
    const id = '8b0e5c2b-7f1d-4c3a-9e10-000000000008'
    const record = {cwd: '/home/dev/app', gitBranch: 'main', isSidechain: false, sessionId: id, userType: 'external', version: '2.1.39'}
    writeFileSync(path.join(config, 'projects', '-srv-app', `${id}.jsonl`), [
      {...record, message: {content: 'Add a notes file', role: 'user'}, parentUuid: null, timestamp: '2026-03-03T10:00:00.000Z', type: 'user', uuid: 'cccc0000-0001-4000-8000-000000000001'},
      {...record, message: {content: [{id: 'toolu_08write', input: {content: 'notes', file_path: '/home/dev/app/NOTES.md'}, name: 'Write', type: 'tool_use'}], id: 'msg_08', model: 'claude-sonnet-4-5-20250929', role: 'assistant', stop_reason: 'tool_use', type: 'message', usage: {input_tokens: 10, output_tokens: 5}}, parentUuid: 'cccc0000-0001-4000-8000-000000000001', requestId: 'req_08', timestamp: '2026-03-03T10:00:01.000Z', type: 'assistant', uuid: 'cccc0000-0002-4000-8000-000000000002'},
      {...record, message: {content: [{content: 'File created successfully at: /home/dev/app/NOTES.md', tool_use_id: 'toolu_08write', type: 'tool_result'}], role: 'user'}, parentUuid: 'cccc0000-0002-4000-8000-000000000002', timestamp: '2026-03-03T10:00:02.000Z', type: 'user', uuid: 'cccc0000-0003-4000-8000-000000000003'},
    ].map((line) => JSON.stringify(line)).join('\n') + '\n')
    const session = await readSession(id, claudeContext(config, {hints: {branch: null, workspace: '/srv/app'}}))
    expect([session.workspace, session.extra.movedFrom, session.filesChanged]).to.deep.equal(['/srv/app', '/home/dev/app', ['/srv/app/NOTES.md']])
    const unmoved = await readSession(id, claudeContext(config))
    expect([unmoved.workspace, unmoved.extra.movedFrom, unmoved.filesChanged]).to.deep.equal(['/home/dev/app', undefined, ['/home/dev/app/NOTES.md']])
  })

  it('names sessions as Claude Code does: custom title, AI title, summary, first prompt', async function () {
    const byId = new Map((await discoverAll(claudeContext())).map((ref) => [ref.id, ref]))
    expect(byId.get(SESSION.v21)!.title).to.equal('Upload review')
    expect(byId.get(SESSION.v1)!.title).to.equal('Count the TODO comments')
    expect(byId.get(SESSION.rewound)!.title).to.equal('Name a colour')
    expect(byId.get('agent-a3f29c1d7e8b4a60')!.title, 'the description in the meta file').to.equal('Find callers')
  })

  it("dates a 1.0.x subagent kept in its parent's file by its own records, not by the file's last", async function () {
    const ctx = claudeContext()
    const inline = (await discoverAll(ctx)).find((ref) => ref.parentId === SESSION.v1)!
    const session = await readSession(inline.id, claudeContext())
    expect(inline).to.include({createdAt: session.createdAt, updatedAt: session.updatedAt})
    expect(inline.updatedAt).to.equal('2026-03-02T09:00:05.700Z')
  })

  it('links subagents to their parent session', async function () {
    const byId = new Map((await discoverAll(claudeContext())).map((ref) => [ref.id, ref]))
    expect(byId.get('agent-5e1f0a9c')!.parentId).to.equal(SESSION.v2)
    expect(byId.get('agent-a3f29c1d7e8b4a60')!.parentId).to.equal(SESSION.v21)
    expect(byId.get(SESSION.v21)!.parentId).to.equal(null)
  })

  it('records every branch seen and when Claude Code will delete the file', async function () {
    const ref = (await discoverAll(claudeContext())).find((candidate) => candidate.id === SESSION.image)!
    expect(ref.gitBranches).to.deep.equal(['main', 'fix/submit-button'])
    const expected = statSync(ref.sourcePath).mtimeMs + 30 * 24 * 60 * 60 * 1000
    expect(Date.parse(ref.expiresAt!)).to.be.closeTo(expected, 1)
  })

  it('honours cleanupPeriodDays from settings.json', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    writeFileSync(path.join(config, 'settings.json'), JSON.stringify({cleanupPeriodDays: 7}))
    const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.id === SESSION.v21)!
    expect(Date.parse(ref.expiresAt!)).to.be.closeTo(statSync(ref.sourcePath).mtimeMs + 7 * 24 * 60 * 60 * 1000, 1)
  })

  it('assumes 30 days when cleanupPeriodDays is not a whole number of days, at least 1, as Claude Code does since 0 no longer turns cleanup off', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    for (const days of [0, 2.5, '7']) {
      writeFileSync(path.join(config, 'settings.json'), JSON.stringify({cleanupPeriodDays: days}))
      const ctx = claudeContext(config)
      const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === SESSION.v21)!
      expect(Date.parse(ref.expiresAt!), `cleanupPeriodDays ${JSON.stringify(days)}`).to.be.closeTo(statSync(ref.sourcePath).mtimeMs + 30 * 24 * 60 * 60 * 1000, 1)
      expect(ctx.debugs.filter((line) => line.includes(`cleanupPeriodDays ${JSON.stringify(days)} is not a whole number of days`)), '--verbose says why').to.have.length(1)
    }

    // Not set: the default, with nothing to say.
    writeFileSync(path.join(config, 'settings.json'), JSON.stringify({theme: 'dark'}))
    const quiet = claudeContext(config)
    await discoverAll(quiet)
    expect(quiet.debugs.filter((line) => line.includes('cleanupPeriodDays'))).to.deep.equal([])
  })

  describe('a large file', function () {
    let config: string
    const id = '8b0e5c2b-7f1d-4c3a-9e10-000000000008'
    before(function () {
      config = tempDir()
      const folder = path.join(config, 'projects', '-home-dev-big')
      cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
      const file = path.join(folder, `${id}.jsonl`)
      // 1 MB of turns: the head and tail are on main, the middle on a hotfix branch.
      const turn = (index: number, branch: string) =>
        JSON.stringify({cwd: '/home/dev/big', gitBranch: branch, isSidechain: false, message: {content: `prompt ${index} ${'x'.repeat(2000)}`, role: 'user'}, parentUuid: index === 0 ? null : `u-${index - 1}`, sessionId: id, timestamp: new Date(Date.UTC(2026, 2, 2, 9, 0, index)).toISOString(), type: 'user', userType: 'external', uuid: `u-${index}`, version: '2.1.39'}) + '\n'
      writeFileSync(file, '')
      for (let index = 0; index < 500; index++) appendFileSync(file, turn(index, index >= 200 && index < 210 ? 'hotfix/login' : 'main'))
    })

    it('is listed from its head and tail only', async function () {
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.id === id)!
      expect(ref.gitBranches).to.deep.equal(['main'])
      expect(ref.title).to.match(/^prompt 0 /)
      expect(ref.updatedAt).to.equal(new Date(Date.UTC(2026, 2, 2, 9, 0, 499)).toISOString())
    })

    it('takes the titles Claude Code appends near the end, and the time of the last record', async function () {
      const folder = path.join(config, 'projects', '-home-dev-big')
      const file = path.join(folder, '8d0e5c2b-7f1d-4c3a-9e10-00000000000d.jsonl')
      const sessionId = '8d0e5c2b-7f1d-4c3a-9e10-00000000000d'
      const envelope = {cwd: '/home/dev/big', gitBranch: 'main', isSidechain: false, sessionId, type: 'user', userType: 'external', version: '2.1.39'}
      const turn = (index: number) => ({...envelope, message: {content: `step ${index} ${'z'.repeat(2000)}`, role: 'user'}, parentUuid: index === 0 ? null : `t-${index - 1}`, timestamp: new Date(Date.UTC(2026, 2, 3, 9, 0, index)).toISOString(), uuid: `t-${index}`})
      const lines: unknown[] = Array.from({length: 100}, (_, index) => turn(index))
      // Fields in another order than Claude Code writes them: the raw text is searched for the type's value.
      lines.splice(95, 0, {aiTitle: 'Generated title', sessionId, type: 'ai-title'}, {customTitle: 'Named by the user', sessionId, type: 'custom-title'})
      lines.push({sessionId, type: 'last-prompt', lastPrompt: 'step 99'})
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.sourcePath === file)!
      expect(ref).to.deep.include({title: 'Named by the user', updatedAt: new Date(Date.UTC(2026, 2, 3, 9, 1, 39)).toISOString()})
    })

    it('gives each of many large files peeked at together its own title and time', async function () {
      const folder = path.join(tempDir(), 'projects', '-home-dev-many')
      mkdirSync(folder, {recursive: true})
      const ids = Array.from({length: 12}, (_, file) => `9a0e5c2b-7f1d-4c3a-9e10-${String(file).padStart(12, '0')}`)
      for (const [file, sessionId] of ids.entries()) {
        const envelope = {cwd: '/home/dev/many', gitBranch: 'main', isSidechain: false, sessionId, type: 'user', userType: 'external', version: '2.1.39'}
        const lines: unknown[] = Array.from({length: 60}, (_, index) => ({...envelope, message: {content: `step ${index} ${'m'.repeat(2000)}`, role: 'user'}, parentUuid: index === 0 ? null : `${file}-${index - 1}`, timestamp: new Date(Date.UTC(2026, 2, 6, file, 0, index)).toISOString(), uuid: `${file}-${index}`}))
        lines.push({customTitle: `Session ${file}`, sessionId, type: 'custom-title'})
        writeFileSync(path.join(folder, `${sessionId}.jsonl`), lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
      }

      const refs = await discoverAll(claudeContext(path.dirname(path.dirname(folder))))
      expect(ids.map((id) => refs.find((ref) => ref.id === id)).map((ref) => [ref?.title, ref?.updatedAt])).to.deep.equal(ids.map((_, file) => [`Session ${file}`, new Date(Date.UTC(2026, 2, 6, file, 0, 59)).toISOString()]))
    })

    it("takes the last of a kind of title in the tail, whichever other titles' names the records hold", async function () {
      const folder = path.join(config, 'projects', '-home-dev-big')
      const sessionId = '8f0e5c2b-7f1d-4c3a-9e10-00000000000f'
      const file = path.join(folder, `${sessionId}.jsonl`)
      const envelope = {cwd: '/home/dev/big', gitBranch: 'main', isSidechain: false, sessionId, type: 'user', userType: 'external', version: '2.1.39'}
      const lines: unknown[] = Array.from({length: 100}, (_, index) => ({...envelope, message: {content: `step ${index} ${'z'.repeat(2000)}`, role: 'user'}, parentUuid: index === 0 ? null : `q-${index - 1}`, timestamp: new Date(Date.UTC(2026, 2, 5, 9, 0, index)).toISOString(), uuid: `q-${index}`}))
      // The first title's record names another kind of title: it is still read in its place, before the second.
      lines.push({customTitle: 'First name', note: 'summary', sessionId, type: 'custom-title'}, {leafUuid: 'q-99', sessionId, summary: 'A summary', type: 'summary'}, {customTitle: 'Second name', sessionId, type: 'custom-title'})
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.sourcePath === file)!
      expect(ref.title).to.equal('Second name')
    })

    it('dates a session by its last turn, past the prompt snapshots Claude Code 2.1.3xx writes after it', async function () {
      const folder = path.join(config, 'projects', '-home-dev-big')
      const sessionId = '8e0e5c2b-7f1d-4c3a-9e10-00000000000e'
      const file = path.join(folder, `${sessionId}.jsonl`)
      const envelope = {cwd: '/home/dev/big', gitBranch: 'main', isSidechain: false, sessionId, userType: 'external', version: '2.1.332'}
      const lines: unknown[] = []
      for (let index = 0; index < 40; index++) lines.push({...envelope, message: {content: `step ${index} ${'z'.repeat(2000)}`, role: 'user'}, parentUuid: index === 0 ? null : `s-${index - 1}`, timestamp: new Date(Date.UTC(2026, 2, 4, 9, 0, index)).toISOString(), type: 'user', uuid: `s-${index}`})
      // Three snapshots of the next prompt, 40 KB each, then bookkeeping: 120 KB without a turn.
      for (let index = 0; index < 3; index++) lines.push({...envelope, attachment: {content: 'p'.repeat(40_000), type: 'prompt_snapshot'}, parentUuid: 's-39', timestamp: new Date(Date.UTC(2026, 2, 4, 9, 5, index)).toISOString(), type: 'attachment', uuid: `p-${index}`})
      lines.push({lastPrompt: 'step 39', sessionId, type: 'last-prompt'}, {costUsd: 0.01, sessionId, type: 'cost-state'})
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.sourcePath === file)!
      expect(ref.updatedAt, 'the last turn, as the export says').to.equal(new Date(Date.UTC(2026, 2, 4, 9, 0, 39)).toISOString())
      expect((await readSession(sessionId, claudeContext(config))).updatedAt).to.equal(ref.updatedAt)
    })

    it('finds the workspace and first prompt past a first record too big for the head window', async function () {
      const folder = path.join(config, 'projects', '-home-dev-big')
      const file = path.join(folder, '8c0e5c2b-7f1d-4c3a-9e10-00000000000c.jsonl')
      const envelope = {cwd: '/home/dev/big', gitBranch: 'main', isSidechain: false, sessionId: 'x', type: 'user', userType: 'external', version: '2.1.39'}
      const image = {source: {data: 'A'.repeat(40_000), media_type: 'image/png', type: 'base64'}, type: 'image'}
      const lines: Array<Record<string, unknown>> = [{...envelope, message: {content: [{text: '[Image #1] What is this?', type: 'text'}, image], role: 'user'}, parentUuid: null, timestamp: '2026-03-02T09:00:00.000Z', uuid: 'big-1'}]
      for (let index = 2; index < 60; index++) lines.push({...envelope, message: {content: `more ${'y'.repeat(2000)}`, role: 'user'}, parentUuid: `big-${index - 1}`, timestamp: '2026-03-02T09:01:00.000Z', uuid: `big-${index}`})
      writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.sourcePath === file)!
      expect(ref).to.deep.include({title: '[Image #1] What is this?', workspace: '/home/dev/big'})
    })

    it('keeps only the start of a long first prompt (a pasted plan) to name the session by', async function () {
      const folder = path.join(config, 'projects', '-home-dev-plan')
      mkdirSync(folder, {recursive: true})
      const file = path.join(folder, '8c0e5c2b-7f1d-4c3a-9e10-00000000000d.jsonl')
      const plan = `Implement the following plan:\n\n${'Step: wrap the upload in a retry. '.repeat(300)}`
      const record = {cwd: '/home/dev/plan', gitBranch: 'main', isSidechain: false, message: {content: plan, role: 'user'}, parentUuid: null, sessionId: 'x', timestamp: '2026-03-02T09:00:00.000Z', type: 'user', userType: 'external', uuid: 'plan-1', version: '2.1.39'}
      writeFileSync(file, JSON.stringify(record) + '\n')
      const ref = (await discoverAll(claudeContext(config))).find((candidate) => candidate.sourcePath === file)!
      expect(ref.title).to.equal(`Implement the following plan: ${'Step: wrap the upload in a retry. '.repeat(300)}`.slice(0, 200))
    })

    it('is searched for a --branch used only in the middle', async function () {
      const ctx = claudeContext(config, {hints: {branch: 'hotfix/login', workspace: null}})
      const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === id)!
      expect(ref.gitBranches).to.include('hotfix/login')
      const other = claudeContext(config, {hints: {branch: 'release', workspace: null}})
      expect((await discoverAll(other)).find((candidate) => candidate.id === id)!.gitBranches).to.deep.equal(['main'])
    })
  })

  describe("a fork (Claude Code 2.1.332's, from the real samples)", function () {
    const MAIN = 'f6ca3445-9328-436a-810d-33c2929c3720'
    const FORK = 'c06e2eae-acb8-410d-9cf2-37850be43721'
    /** A memo that tells which keys were stored: what discovery had to find by reading. */
    const watchedMemo = () => {
      const memo = memoryMemo()
      const stored: string[] = []
      return {memo: {...memo, set: (key: string, fingerprint: string, value: unknown) => (stored.push(key), memo.set(key, fingerprint, value))}, stored}
    }

    it('dates it by its first message of its own, as its export does, reading only the fork further than its head and tail', async function () {
      const {memo, stored} = watchedMemo()
      const refs = await discoverAll(claudeContext(REAL_SAMPLES, {memo}))
      const fork = refs.find((ref) => ref.id === FORK)!
      const main = refs.find((ref) => ref.id === MAIN)!
      expect(fork.createdAt).to.equal('2026-11-30T17:11:44.942Z').and.to.equal((await readSession(FORK, claudeContext(REAL_SAMPLES))).createdAt)
      expect(main.createdAt).to.equal('2026-11-30T17:11:43.566Z').and.to.equal((await readSession(MAIN, claudeContext(REAL_SAMPLES))).createdAt)
      expect(stored.filter((key) => key.endsWith('#ownStart'))).to.deep.equal([`${fork.sourcePath}#ownStart`])
    })

    it('finds its start once, however much it grows', async function () {
      const config = tempDir()
      cpSync(REAL_SAMPLES, config, {recursive: true})
      const {memo, stored} = watchedMemo()
      const forkOf = async () => (await discoverAll(claudeContext(config, {memo}))).find((ref) => ref.id === FORK)!
      const before = await forkOf()
      const lines = readFileSync(before.sourcePath, 'utf8').trimEnd().split('\n')
      const reply = lines.findLast((line) => line.includes('"type":"assistant"'))!
      appendFileSync(before.sourcePath, reply.replace(/"uuid":"[^"]+"/, '"uuid":"0f0e5c2b-7f1d-4c3a-9e10-0000000000ff"').replace(/"timestamp":"[^"]+"/, '"timestamp":"2026-12-01T08:00:00.000Z"') + '\n')
      const after = await forkOf()
      expect(after.updatedAt, 'discovered again').to.equal('2026-12-01T08:00:00.000Z')
      expect(after.createdAt).to.equal('2026-11-30T17:11:44.942Z')
      expect(stored.filter((key) => key.endsWith('#ownStart'))).to.have.length(1)
    })
  })

  it('remembers what it saw of a file until its size or time changes', async function () {
    const config = tempDir()
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), path.join(config, 'projects', '-home-dev-other'), {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-other', `${SESSION.otherWorkspace}.jsonl`)
    const memo = memoryMemo()
    const titleOf = async () => (await discoverAll(claudeContext(config, {memo})))[0].title
    const then = new Date('2026-03-02T10:00:00Z')
    utimesSync(file, then, then)
    expect(await titleOf()).to.equal('Hello from the other project')
    // Same size and mtime, other content: not opened again.
    writeFileSync(file, readFileSync(file, 'utf8').replace('Hello from the other project', 'Howdy from the other project'))
    utimesSync(file, then, then)
    expect(await titleOf()).to.equal('Hello from the other project')
    utimesSync(file, then, new Date(then.getTime() + 1000))
    expect(await titleOf()).to.equal('Howdy from the other project')
  })

  it('warns about an empty file, and skips files that hold only settings quietly', async function () {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-x')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    writeFileSync(path.join(folder, '9c0e5c2b-7f1d-4c3a-9e10-000000000009.jsonl'), '')
    writeFileSync(path.join(folder, '9c0e5c2b-7f1d-4c3a-9e10-00000000000a.jsonl'), JSON.stringify({permissionMode: 'plan', sessionId: 'x', type: 'permission-mode'}) + '\n')
    const ctx = claudeContext(config)
    const refs = await discoverAll(ctx)
    expect(refs.map((ref) => ref.id)).to.deep.equal([SESSION.otherWorkspace])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.include('9c0e5c2b-7f1d-4c3a-9e10-000000000009.jsonl: empty file')
    expect(ctx.debugs.join('\n')).to.include('no conversation')
  })

  it('finds nothing, without complaint, when Claude Code is not installed', async function () {
    const ctx = claudeContext(path.join(tempDir(), 'missing'))
    expect(await discoverAll(ctx)).to.deep.equal([])
    expect(ctx.warnings).to.deep.equal([])
  })
})
