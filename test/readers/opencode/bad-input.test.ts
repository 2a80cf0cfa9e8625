import {expect} from 'chai'
import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {tempDir} from '../../helpers/cli.js'
import {memoryMemo, readerContext} from '../../helpers/reader-context.js'
import {createDatabase, Database, discoverAll, IDS, insertSession, lockDatabase, type OpenCodeHome, opencodeHome, readSession} from './opencode-home.js'

/** A data folder holding only the given database file (and the JSON storage fixture, when asked). */
function dataFolderWith(database: (file: string) => void) {
  const root = tempDir('sessionsync-opencode-bad-')
  const data = path.join(root, 'xdg', 'opencode')
  mkdirSync(data, {recursive: true})
  const file = path.join(data, 'opencode.db')
  database(file)
  const env = {HOME: path.join(root, 'home'), XDG_DATA_HOME: path.join(root, 'xdg')}
  return {ctx: readerContext(env), file}
}

async function idsFound(ctx: ReturnType<typeof readerContext>) {
  return (await discoverAll(ctx)).map((ref) => ref.id)
}

describe('OpenCode reader: bad and unexpected databases', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome()
  })
  afterEach(() => home.writer.close())

  it('reads while OpenCode holds a write transaction: in WAL mode writers do not block readers', async () => {
    home.writer.exec('BEGIN EXCLUSIVE')
    insertSession(home.writer, {created: 1_795_585_799_000, directory: home.workspace, id: 'ses_0000000000ffUncommittedAb', title: 'not committed'}, [])
    const ctx = home.context()
    const ids = await idsFound(ctx)
    home.writer.exec('ROLLBACK')
    expect(ids).to.include(IDS.main).and.not.include('ses_0000000000ffUncommittedAb')
    expect(ctx.warnings).to.deep.equal([])
  })

  it('says a locked database is locked, naming it, and still finds the sessions of the JSON storage', async function () {
    this.timeout(15_000)
    const lock = lockDatabase(home)
    try {
      const ctx = home.context()
      const ids = await idsFound(ctx)
      expect(ids).to.deep.equal([IDS.legacyChild, IDS.legacy, IDS.main])
      expect(ctx.warnings).to.have.length(1)
      expect(ctx.warnings[0]).to.match(new RegExp(`^${home.database}: is locked by another program .*; skipped`))
    } finally {
      lock.release()
    }
  })

  it('says a corrupt database is corrupt, naming it', async () => {
    const {ctx, file} = dataFolderWith((target) => {
      createDatabase(target).close()
      const bytes = readFileSync(target)
      bytes.fill(0xff, 100, 4096)
      writeFileSync(target, bytes)
    })
    expect(await idsFound(ctx)).to.deep.equal([])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(new RegExp(`^${file}: is corrupt and cannot be read; skipped`))
  })

  it('says a file that is not SQLite, or empty, is not a database', async () => {
    const garbage = dataFolderWith((target) => writeFileSync(target, 'this is not a database'.repeat(10)))
    expect(await idsFound(garbage.ctx)).to.deep.equal([])
    expect(garbage.ctx.warnings).to.deep.equal([`${garbage.file}: is not an SQLite database (corrupt or another kind of file); skipped`])
    const empty = dataFolderWith((target) => writeFileSync(target, ''))
    expect(await idsFound(empty.ctx)).to.deep.equal([])
    expect(empty.ctx.warnings).to.deep.equal([`${empty.file}: is empty (0 bytes), not an OpenCode database; skipped`])
  })

  it('says a database of a schema it does not know is skipped, and what is missing', async () => {
    const {ctx, file} = dataFolderWith((target) => {
      const db = new Database(target)
      db.exec('CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT); CREATE TABLE message (id TEXT)')
      db.close()
    })
    expect(await idsFound(ctx)).to.deep.equal([])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.equal(
      `${file}: has a schema this reader does not know (missing message.session_id, message.time_created, message.data, table part, session.parent_id, session.directory, session.time_created, session.time_updated); skipped`,
    )
  })

  it('reads the sessions a beta of OpenCode 2 (before session_v2) put in 1.x\'s table from their rows, and 1.x\'s own as before', async () => {
    const insert = home.writer.prepare('INSERT INTO session_message (id, session_id, type, seq, time_created, time_updated, data) VALUES (?, ?, ?, ?, 1, 1, ?)')
    // A 1.x session with a row there too (a 1.17 build records a model switch so): read from its 1.x messages.
    insert.run('m0', IDS.main, 'model-switched', 1, JSON.stringify({model: {id: 'claude-sonnet-4-5', providerID: 'anthropic'}, previous: {id: 'gpt-5', providerID: 'openai'}, time: {created: 1}}))
    // Betas of OpenCode 2 before August 2026 kept their session rows in the same table, and their messages only in the new one.
    const columns = (home.writer.prepare('PRAGMA table_info(session)').all() as Array<{name: string}>).map(({name}) => name)
    home.writer.prepare(`INSERT INTO session (${columns.join(', ')}) SELECT ${columns.map((name) => (name === 'id' ? "'ses_v2only'" : name)).join(', ')} FROM session WHERE id = ?`).run(IDS.main)
    insert.run('m1', 'ses_v2only', 'user', 1, JSON.stringify({text: '"Hello from the beta"', time: {created: 1_795_585_790_000}}))
    insert.run('m2', 'ses_v2only', 'assistant', 2, JSON.stringify({agent: 'build', content: [{text: 'Hello.', type: 'text'}], finish: 'stop', model: {id: 'big-pickle', providerID: 'opencode'}, time: {completed: 1_795_585_791_000, created: 1_795_585_790_500}}))
    const memo = memoryMemo()
    // Again on a run that finds the database unchanged and so does not query it.
    for (const ctx of [home.context({memo}), home.context({memo})]) {
      expect(await idsFound(ctx)).to.include.members([IDS.main, 'ses_v2only'])
      expect(ctx.warnings).to.deep.equal([])
    }

    const beta = await readSession(home, 'ses_v2only')
    expect(beta.messages.map((message) => [message.role, message.blocks])).to.deep.equal([['user', [{text: 'Hello from the beta', type: 'text'}]], ['assistant', [{text: 'Hello.', type: 'text'}]]])
    const main = await readSession(home, IDS.main)
    expect(main.messages[0].blocks[0]).to.deep.equal({text: 'Fix the flaky upload test', type: 'text'})
    expect(main.messages.flatMap((message) => message.blocks).some((block) => block.type === 'event' && block.kind === 'model_switched'), '1.x\'s own projection is not read').to.equal(false)
  })

  it('says nothing of OpenCode 2 when only 1.x sessions have rows in its table', async () => {
    home.writer.prepare("INSERT INTO session_message (id, session_id, type, seq, time_created, time_updated, data) VALUES ('m0', ?, 'model-switched', 16, 1, 1, '{}')").run(IDS.main)
    const ctx = home.context()
    expect(await idsFound(ctx)).to.include(IDS.main)
    expect(ctx.warnings).to.deep.equal([])
  })

  it('reads only the database file when its log has no index beside it, rather than create one', async () => {
    const {ctx, file} = dataFolderWith((target) => {
      copyFileSync(home.database, target)
      copyFileSync(`${home.database}-wal`, `${target}-wal`)
    })
    // Every session of the fixture is in the log; the JSON storage is not copied.
    expect(await idsFound(ctx)).to.deep.equal([])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(new RegExp(`^${file}: its write-ahead log has no index \\(-shm\\)`))
  })

  it('fails a session whose database went away since discovery with a message naming it', async () => {
    const ctx = home.context()
    const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === IDS.fork)!
    home.writer.prepare('DELETE FROM session WHERE id = ?').run(IDS.fork)
    const {opencodeReader} = await import('../../../plugins/reader-opencode/src/reader.js')
    let failure: Error | null = null
    await opencodeReader.read(ref, ctx).catch((error: Error) => {
      failure = error
    })
    expect(failure!.message).to.equal(`${home.database}: session ${IDS.fork} is no longer in the database`)
    expect((await readSession(home, IDS.main, home.context())).id).to.equal(IDS.main)
  })
})
