import {expect} from 'chai'
import {mkdirSync} from 'node:fs'
import path from 'node:path'
import {piReader} from '../../../plugins/reader-pi/src/reader.js'
import {tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'
import {discoverAll, IDS, piHome} from './pi-home.js'

// As the OpenCode reader needs it of the addon, whichever test file loads it first.
process.env.SQLITE_USE_URI ??= '1'
const {default: Database} = await import('better-sqlite3')

/**
 * The store Pi keeps with `PERSISTENT_STORE=sqlite` (earendil-works/pi
 * `packages/agent/src/harness/session/sqlite/storage.ts`): a session and its entries, each entry's
 * JSON without its type, id, parent and time.
 */
function writeSqliteStore(file: string): void {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec(`
    CREATE TABLE sessions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, cwd TEXT NOT NULL, parent_session_id TEXT, storage_version INTEGER NOT NULL);
    CREATE TABLE session_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, id TEXT NOT NULL, parent_id TEXT, type TEXT NOT NULL, timestamp TEXT NOT NULL, payload TEXT NOT NULL, target_id TEXT, message_role TEXT, custom_type TEXT);`)
  db.prepare('INSERT INTO sessions VALUES (?, ?, ?, NULL, 1)').run('019a3333-4444-7555-8666-777788889999', '2026-11-30T12:00:00.000Z', '/tmp/project')
  db.prepare('INSERT INTO session_entries (session_id, id, parent_id, type, timestamp, payload, message_role) VALUES (?, ?, NULL, ?, ?, ?, ?)').run('019a3333-4444-7555-8666-777788889999', 'd0000001', 'message', '2026-11-30T12:00:01.000Z', JSON.stringify({message: {content: 'Kept in SQLite', role: 'user', timestamp: 1_795_996_801_000}}), 'user')
  db.close()
}

describe("Pi reader: Pi's SQLite session store", () => {
  it('says once that the sessions of a store beside the JSONL files are not read, and reads those files', async () => {
    const {agentDir, context} = piHome()
    const store = path.join(agentDir, 'sessions.sqlite')
    writeSqliteStore(store)
    const ctx = context()
    const refs = await discoverAll(ctx)
    expect(refs.map((ref) => ref.id)).to.include.members(Object.values(IDS))
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.include(store).and.to.include('not read').and.to.include('missing')
    // watch locates the sessions again every few seconds: told once.
    const again = context()
    await piReader.locate(again)
    expect(again.warnings).to.deep.equal([])
    // Its appearance is a change: a sync with nothing else changed is not answered from its record.
    expect(await piReader.inputs!(context())).to.include(store)
  })

  it('says so of a store in a folder Pi was told to put sessions in, and of an agent folder that holds only a store', async () => {
    const root = tempDir('sessionsync-pi-sqlite-')
    const sessionDir = path.join(root, 'pi-sessions')
    mkdirSync(sessionDir)
    writeSqliteStore(path.join(sessionDir, 'sessions.sqlite'))
    const onlyStore = path.join(root, 'agent')
    mkdirSync(onlyStore)
    writeSqliteStore(path.join(onlyStore, 'sessions.sqlite'))
    const ctx = readerContext({HOME: path.join(root, 'home'), PI_CODING_AGENT_DIR: onlyStore, PI_CODING_AGENT_SESSION_DIR: sessionDir})
    expect(await piReader.locate(ctx)).to.deep.equal([sessionDir])
    expect(ctx.warnings.map((warning) => warning.split(':')[0])).to.have.members([path.join(onlyStore, 'sessions.sqlite'), path.join(sessionDir, 'sessions.sqlite')])
  })
})
