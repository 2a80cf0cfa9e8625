/**
 * Regenerates test/agents/samples/<agent>/: what the pinned agents really write for the scripted
 * scenarios, for the reader authors to look at. Run: npx tsx test/agents/update-samples.ts [agent id…]
 * The run happens under a fixed neutral path (/tmp/conformance) so the samples hold no random names.
 */
import {cpSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import Database from 'better-sqlite3'

import {AGENTS, AGENTS_DIR, type AgentName} from './agents.js'
import {binDir, installationOf} from './installations.js'
import {killAll, runAgent} from './driver.js'
import {startLlmServer} from './llm-server.js'

const ROOT = '/tmp/conformance'
const SAMPLES = path.join(AGENTS_DIR, 'samples')

/** The session data of each agent, relative to its HOME. */
const DATA: Record<AgentName, string> = {
  claude: '.claude/projects',
  opencode: '.local/share/opencode',
  pi: '.pi/agent/sessions',
}

/** OpenCode keeps sessions in SQLite: also dump the conversation tables as JSON to read. */
function dumpOpencode(database: Database.Database, target: string) {
  const query = (sql: string) => database.prepare(sql).all() as Record<string, unknown>[]
  const parseData = (rows: Record<string, unknown>[]) => rows.map((row) => ({...row, data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data}))
  const dump = {
    session: query('select * from session order by time_created'),
    message: parseData(query('select * from message order by session_id, time_created, id')),
    part: parseData(query('select * from part order by session_id, message_id, id')),
    migration: query('select * from migration order by id'),
  }
  writeFileSync(target, JSON.stringify(dump, null, 2) + '\n')
}

const only = process.argv.slice(2)
const server = await startLlmServer()
try {
  for (const agent of AGENTS.filter((candidate) => only.length === 0 || only.includes(candidate.id))) {
    const root = path.join(ROOT, agent.id)
    rmSync(root, {recursive: true, force: true})
    const run = await runAgent(agent, binDir(installationOf(agent)), server, root)
    const target = path.join(SAMPLES, agent.id)
    rmSync(target, {recursive: true, force: true})
    mkdirSync(target, {recursive: true})
    const source = path.join(run.folders.home, DATA[agent.name])
    if (agent.name === 'opencode') {
      // Fold the write-ahead log into the database so the single file is complete.
      const database = new Database(path.join(source, 'opencode.db'))
      database.pragma('wal_checkpoint(TRUNCATE)')
      dumpOpencode(database, path.join(target, 'opencode.db.json'))
      database.close()
      cpSync(path.join(source, 'opencode.db'), path.join(target, 'opencode.db'))
    } else {
      cpSync(source, path.join(target, path.basename(DATA[agent.name])), {recursive: true})
    }
    console.log(`${agent.id}: ${readdirSync(target, {recursive: true}).length} entries in ${path.relative(process.cwd(), target)}`)
  }
} finally {
  killAll()
  await server.close()
}
