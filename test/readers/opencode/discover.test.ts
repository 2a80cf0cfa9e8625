import {expect} from 'chai'
import {copyFileSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {opencodeReader} from '../../../plugins/reader-opencode/src/reader.js'
import {tempDir} from '../../helpers/cli.js'
import type {DiscoveryMemo} from '../../../src/plugin-api.js'
import {memoryMemo, readerContext} from '../../helpers/reader-context.js'
import {nativeFolder, workspaceRows} from '../../../plugins/reader-opencode/src/db-source.js'
import {BRANCH, createDatabase, Database, discoverAll, IDS, insertSession, type OpenCodeHome, opencodeHome, readSession, user} from './opencode-home.js'

describe('OpenCode reader: locating and discovering sessions', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome()
  })
  afterEach(() => home.writer.close())

  it('finds the data folder under $XDG_DATA_HOME, else under ~/.local/share', async () => {
    expect(await opencodeReader.locate(home.context())).to.deep.equal([home.data])
    const root = tempDir()
    const data = path.join(root, 'home', '.local', 'share', 'opencode')
    mkdirSync(data, {recursive: true})
    copyFileSync(home.database, path.join(data, 'opencode.db'))
    expect(await opencodeReader.locate(readerContext({HOME: path.join(root, 'home')}))).to.deep.equal([data])
    expect(await opencodeReader.locate(readerContext({HOME: path.join(root, 'nobody')}))).to.deep.equal([])
  })

  it('finds the sessions still only in the write-ahead log, and those of the JSON storage', async () => {
    // The database file alone holds the schema but not one session: they are all in the -wal.
    const fileOnly = path.join(tempDir(), 'opencode.db')
    copyFileSync(home.database, fileOnly)
    const copy = new Database(fileOnly, {readonly: true})
    expect(copy.prepare('SELECT count(*) AS n FROM session').get()).to.deep.equal({n: 0})
    copy.close()

    const ctx = home.context()
    const refs = await discoverAll(ctx)
    expect(refs.map((ref) => ref.id).sort()).to.deep.equal([IDS.child, IDS.fork, IDS.legacy, IDS.legacyChild, IDS.main, IDS.other].sort())
    expect(ctx.warnings).to.deep.equal([])
  })

  it('keeps to the workspace asked for, in the query, with the subagents of its sessions', async () => {
    const inWorkspace = await discoverAll(home.context({hints: {branch: null, workspace: home.workspace}}))
    expect(inWorkspace.map((ref) => ref.id).sort()).to.deep.equal([IDS.child, IDS.fork, IDS.legacy, IDS.legacyChild, IDS.main].sort())
    const elsewhere = await discoverAll(home.context({hints: {branch: null, workspace: home.otherWorkspace}}))
    expect(elsewhere.map((ref) => ref.id)).to.deep.equal([IDS.other])
    // A folder whose name is a prefix of the workspace's is another folder.
    const prefix = await discoverAll(home.context({hints: {branch: null, workspace: home.workspace.slice(0, -1)}}))
    expect(prefix).to.deep.equal([])
  })

  it('on Windows, finds the folders OpenCode stored with `/` as well as with `\\`, and gives them back with `\\`', () => {
    const db = createDatabase(path.join(tempDir(), 'opencode.db'))
    insertSession(db, {created: 1, directory: 'C:/Users/me/app', id: 'ses_slashed', title: 'Stored with slashes'}, [])
    insertSession(db, {created: 2, directory: 'C:/Users/me/app/web', id: 'ses_below', title: 'Below, with slashes'}, [])
    insertSession(db, {created: 3, directory: 'C:\\Users\\me\\app', id: 'ses_native', title: 'Not migrated yet'}, [])
    insertSession(db, {created: 4, directory: 'C:/Users/me/application', id: 'ses_other', title: 'Another folder'}, [])
    insertSession(db, {created: 5, directory: 'D:/elsewhere', id: 'ses_child', parentId: 'ses_slashed', title: 'A subagent'}, [])
    const ids = (paths: path.PlatformPath) => workspaceRows(db, 'C:\\Users\\me\\app', {paths}).map((row) => row.id)
    expect(ids(path.win32)).to.deep.equal(['ses_slashed', 'ses_below', 'ses_native', 'ses_child'])
    // Elsewhere `\\` is a character of a file name, not a separator: only the same name matches.
    expect(ids(path.posix)).to.deep.equal(['ses_native'])
    db.close()
    expect(nativeFolder('C:/Users/me/app', path.win32)).to.equal('C:\\Users\\me\\app')
    expect(nativeFolder('/home/me/a\\b', path.posix)).to.equal('/home/me/a\\b')
  })

  it('describes each session from its row: title, folder, times, parent, source, branch at export', async () => {
    const refs = await discoverAll(home.context())
    const main = refs.find((ref) => ref.id === IDS.main)!
    expect(main).to.include({agent: 'opencode', parentId: null, sourcePath: home.database, title: 'Fix the flaky upload test', workspace: home.workspace})
    expect(main.createdAt).to.equal('2026-11-25T05:49:43.000Z')
    expect(main.gitBranches).to.deep.equal([BRANCH])
    expect(main.sizeBytes).to.be.greaterThan(1000)
    expect(refs.find((ref) => ref.id === IDS.child)!.parentId).to.equal(IDS.main)
    expect(refs.find((ref) => ref.id === IDS.other)!.gitBranches).to.deep.equal([])
  })

  it("leaves out OpenCode's placeholder title, so the session is named by its first request", async () => {
    insertSession(home.writer, {created: 1_795_585_790_000, directory: home.workspace, id: 'ses_placeholder', title: 'New session - 2026-07-30T14:04:55.689Z'}, [])
    insertSession(home.writer, {created: 1_795_585_791_000, directory: home.workspace, id: 'ses_childplaceholder', parentId: IDS.main, title: 'Child session - 2026-07-30T14:05:00.000Z'}, [])
    insertSession(home.writer, {created: 1_795_585_792_000, directory: home.workspace, id: 'ses_named', title: 'New session - plans for the release'}, [])
    const refs = await discoverAll(home.context())
    const titleOf = (id: string) => refs.find((ref) => ref.id === id)!.title
    expect([titleOf('ses_placeholder'), titleOf('ses_childplaceholder'), titleOf('ses_named')]).to.deep.equal([null, null, 'New session - plans for the release'])
    expect((await readSession(home, 'ses_placeholder')).title).to.equal('')
  })

  it('names a session OpenCode has not named by its first request: the text the person wrote, on one line', async () => {
    const created = 1_795_585_790_000
    insertSession(home.writer, {created, directory: home.workspace, id: 'ses_unnamed', title: 'New session - 2026-07-30T14:04:55.689Z'}, [
      // A message whose data is corrupt costs only itself.
      [{...user(created + 50), time: {created: created + 50}}, []],
      [user(created + 100), [{text: 'Called the Read tool with the following input: {"filePath":"/app/upload.ts"}', synthetic: true, type: 'text'}, {text: '"Rename the upload helper\n\nand   its tests"', type: 'text'}]],
      [user(created + 200), [{text: 'Also the docs', type: 'text'}]],
    ])
    home.writer.prepare("UPDATE message SET data = '{\"role\":\"user\",\"ti' WHERE session_id = 'ses_unnamed' AND time_created = ?").run(created + 50)
    const ctx = home.context({memo: memoryMemo()})
    expect((await discoverAll(ctx)).find((ref) => ref.id === 'ses_unnamed')!.title).to.equal('Rename the upload helper and its tests')
    expect(ctx.debugs.some((line) => line.includes('ses_unnamed') && line.includes('corrupt')), 'the corrupt message, under --verbose').to.equal(true)
    // Remembered with the database's rows.
    expect((await discoverAll(ctx)).find((ref) => ref.id === 'ses_unnamed')!.title).to.equal('Rename the upload helper and its tests')

    // The JSON storage of OpenCode 1.1 and older, as it writes its files.
    const storage = path.join(home.data, 'storage')
    const project = '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7'
    const write = (file: string, value: unknown) => {
      mkdirSync(path.dirname(file), {recursive: true})
      writeFileSync(file, JSON.stringify(value, null, 2))
    }

    const id = 'ses_4f1c2e0b0ffeLegacyUnnamed'
    write(path.join(storage, 'session', project, `${id}.json`), {directory: home.workspace, id, projectID: project, time: {created: 1_763_370_100_000, updated: 1_763_370_160_000}, title: 'New session - 2025-11-17T09:01:40.000Z', version: '1.1.36'})
    write(path.join(storage, 'message', id, 'msg_1a2b3c4d9001LegacyUnnamed1.json'), {id: 'msg_1a2b3c4d9001LegacyUnnamed1', role: 'user', sessionID: id, time: {created: 1_763_370_100_100}})
    write(path.join(storage, 'part', 'msg_1a2b3c4d9001LegacyUnnamed1', 'prt_1a2b3c4d9002LegacyUnnamed1.json'), {id: 'prt_1a2b3c4d9002LegacyUnnamed1', messageID: 'msg_1a2b3c4d9001LegacyUnnamed1', sessionID: id, text: 'Why is the build slow?', type: 'text'})
    expect((await discoverAll(home.context())).find((ref) => ref.id === id)!.title).to.equal('Why is the build slow?')
  })

  it('prefers the database when a session is also in the JSON storage', async () => {
    const ctx = home.context({debug: () => {}})
    const refs = await discoverAll(ctx)
    const mains = refs.filter((ref) => ref.id === IDS.main)
    expect(mains).to.have.length(1)
    expect(mains[0].title).to.not.include('STALE')
    const legacy = refs.find((ref) => ref.id === IDS.legacy)!
    expect(legacy.sourcePath).to.equal(path.join(home.data, 'storage', 'session', '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7', `${IDS.legacy}.json`))
    expect(legacy).to.include({title: 'Explain the build script', workspace: home.workspace})
  })

  it('changes the fingerprint of a session when OpenCode adds to it, and of no other', async () => {
    const before = new Map((await discoverAll(home.context())).map((ref) => [ref.id, ref.fingerprint]))
    home.writer
      .prepare('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)')
      .run('msg_ffffffffffffNewMessageAb', IDS.fork, 1_795_585_799_000, 1_795_585_799_000, '{"role":"user","time":{"created":1795585799000}}')
    const after = new Map((await discoverAll(home.context())).map((ref) => [ref.id, ref.fingerprint]))
    expect(after.get(IDS.fork)).to.not.equal(before.get(IDS.fork))
    expect(after.get(IDS.main)).to.equal(before.get(IDS.main))
  })

  it('remembers the sessions of a database while its files are unchanged, and queries it again after a write', async () => {
    const inner = memoryMemo()
    const queried: string[] = []
    const memo: DiscoveryMemo = {get: inner.get, set(key, fingerprint, value) {
      queried.push(key)
      inner.set(key, fingerprint, value)
    }}
    const first = await discoverAll(home.context({memo}))
    expect(queried).to.have.length(1)
    expect(await discoverAll(home.context({memo}))).to.deep.equal(first)
    expect(queried, 'unchanged: not queried again').to.have.length(1)

    home.writer.prepare('UPDATE session SET title = ?, time_updated = ? WHERE id = ?').run('Renamed', 1_795_585_799_000, IDS.fork)
    const after = await discoverAll(home.context({memo}))
    expect(queried).to.have.length(2)
    expect(after.find((ref) => ref.id === IDS.fork)!.title).to.equal('Renamed')
    // Another workspace asks another question of the same database.
    await discoverAll(home.context({hints: {branch: null, workspace: home.otherWorkspace}, memo}))
    expect(queried).to.have.length(3)
  })

  it('remembers only the columns of a session it uses: the contents of the files a session changed stay in the database', async () => {
    const diffs = JSON.stringify([{additions: 1, after: 'AFTER-CONTENTS '.repeat(1000), before: 'BEFORE-CONTENTS '.repeat(1000), deletions: 1, file: 'src/upload.ts'}])
    home.writer.prepare(`UPDATE session SET summary_diffs = ?, permission = '[{"permission":"edit","pattern":"*","action":"allow"}]'`).run(diffs)
    const remembered: unknown[] = []
    const memo: DiscoveryMemo = {get: () => undefined, set: (_key, _fingerprint, value) => remembered.push(value)}
    const refs = await discoverAll(home.context({memo}))
    expect(refs.find((ref) => ref.id === IDS.main)).to.include({title: 'Fix the flaky upload test'})
    const kept = JSON.stringify(remembered)
    expect(kept).to.include('Fix the flaky upload test')
    expect(kept).to.not.include('CONTENTS')
    expect(kept).to.not.include('"permission"')
  })

  it('watches every database (a channel\'s too), its write-ahead log and the JSON storage', async () => {
    const ctx = home.context()
    const paths = opencodeReader.watchPaths!(await opencodeReader.locate(ctx), ctx)
    expect(paths).to.deep.equal([home.database, `${home.database}-wal`, path.join(home.data, 'storage')])
    const beta = path.join(home.data, 'opencode-beta.db')
    copyFileSync(home.database, beta)
    expect(opencodeReader.watchPaths!(await opencodeReader.locate(ctx), ctx)).to.deep.equal([
      beta, `${beta}-wal`, home.database, `${home.database}-wal`, path.join(home.data, 'storage'),
    ])
  })

  it('reads the database $OPENCODE_DB names outside the data folder too', async () => {
    home.writer.pragma('wal_checkpoint(TRUNCATE)')
    const elsewhere = path.join(tempDir(), 'custom.db')
    copyFileSync(home.database, elsewhere)
    const writer = new Database(elsewhere)
    insertSession(writer, {created: 1_795_585_790_000, directory: home.workspace, id: 'ses_0000000000ffCustomOnlyAb1', title: 'Only in the custom database'}, [])
    writer.close()
    const ctx = readerContext({...home.env, OPENCODE_DB: elsewhere})
    expect(await opencodeReader.locate(ctx)).to.deep.equal([home.data, elsewhere])
    const custom = (await discoverAll(ctx)).filter((ref) => ref.id === 'ses_0000000000ffCustomOnlyAb1')
    expect(custom.map((ref) => ref.sourcePath)).to.deep.equal([elsewhere])
  })
})
