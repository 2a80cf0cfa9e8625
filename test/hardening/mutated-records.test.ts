import {copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {expect} from 'chai'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {opencodeReader} from '../../plugins/reader-opencode/src/reader.js'
import {piReader} from '../../plugins/reader-pi/src/reader.js'
import {SessionSchema} from '../../src/model/session.js'
import type {Reader} from '../../src/plugin-api.js'
import {REPO, tempDir} from '../helpers/cli.js'
import {readerContext} from '../helpers/reader-context.js'

// SQLite takes the `file:` URIs the OpenCode reader opens its database with only so; set before the driver loads.
process.env.SQLITE_USE_URI ??= '1'

/**
 * Agents change their records from one version to the next: a field goes, turns null, or holds
 * another type. Each field of each kind of record the real agents wrote (the conformance suite's
 * samples), down to the fields of its fields, is changed so, one at a time, and the session is
 * read again: the reader must give a valid session with what is left, never fail it.
 */
const SAMPLES = path.join(REPO, 'test/agents/samples')
/** What a field becomes: gone, null, or a value of another type. */
const CHANGES: {name: string; value?: unknown}[] = [{name: 'gone'}, {name: 'null', value: null}, {name: 'a number', value: 7}, {name: 'a string', value: 'x'}, {name: 'an object', value: {}}]
const DEPTH = 2

type Path = (number | string)[]

/** Paths of the fields of a record, down to DEPTH levels; of an array, its first element stands for the rest. */
function fieldPaths(value: unknown, prefix: Path = []): Path[] {
  if (prefix.length >= DEPTH || value === null || typeof value !== 'object') return []
  const keys = Array.isArray(value) ? (value.length > 0 ? [0] : []) : Object.keys(value)
  return keys.flatMap((key) => [[...prefix, key], ...fieldPaths((value as Record<number | string, unknown>)[key], [...prefix, key])])
}

function changed(record: unknown, at: Path, change: (typeof CHANGES)[number]): unknown {
  const copy = structuredClone(record) as Record<number | string, unknown>
  const parent = at.slice(0, -1).reduce<Record<number | string, unknown>>((node, key) => node[key] as Record<number | string, unknown>, copy)
  const key = at.at(-1)!
  if (!('value' in change)) {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete parent[key]
  } else parent[key] = change.value
  return copy
}

/** A kind of record, by its type and the fields it has: one of each is changed, not every line. */
function kindOf(record: Record<string, unknown>): string {
  const content = (record.message as {content?: unknown} | undefined)?.content ?? (record.data as {type?: unknown} | undefined)?.type
  const blockTypes = Array.isArray(content) ? content.map((block: {type?: unknown}) => String(block?.type)).join(',') : typeof content
  return [record.type, record.role, blockTypes, Object.keys(record).sort().join(',')].join('|')
}

/** Every change of every field of one record of each kind in these lines: the line's number, where, what. */
function changesOf(records: unknown[]): {line: number; at: Path; change: (typeof CHANGES)[number]}[] {
  const kinds = new Set<string>()
  return records.flatMap((record, line) => {
    const kind = kindOf(record as Record<string, unknown>)
    if (kinds.has(kind)) return []
    kinds.add(kind)
    return fieldPaths(record).flatMap((at) => CHANGES.map((change) => ({at, change, line})))
  })
}

/** Reads every session the reader finds, each checked against the model: their ids, and the warnings given. */
async function readAll(reader: Reader, env: NodeJS.ProcessEnv): Promise<{ids: Set<string>; warnings: string[]}> {
  const ctx = readerContext(env)
  const ids = new Set<string>()
  for await (const ref of reader.discover(await reader.locate(ctx), ctx)) ids.add(SessionSchema.parse(await reader.read(ref, ctx)).id)
  return {ids, warnings: ctx.warnings}
}

interface Case {
  label: string
  apply(): void
  /** The change is to what makes the file a session (its header's type or id): read, or skipped with a warning naming the file, as the agent skips it. */
  identity?: string
}

/** Reads after each change; the failures, one line each, name the change. */
async function failuresOf(cases: Case[], read: () => Promise<{ids: Set<string>; warnings: string[]}>, session: string): Promise<string[]> {
  const failures: string[] = []
  const sessions = (await read()).ids.size
  for (const {apply, identity, label} of cases) {
    apply()
    try {
      const {ids, warnings} = await read()
      const found = identity === undefined ? ids.has(session) : ids.size === sessions || warnings.some((warning) => warning.includes(identity))
      if (!found) failures.push(`${label}: the session was neither read nor said to be skipped`)
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message.split('\n')[0]}`)
    }
  }

  return failures
}

/** Cases for a JSON Lines session file: each changes one field of one line, the other lines as they were. */
function jsonLinesCases(file: string, identifies: (line: number, at: Path) => boolean = () => false): Case[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean)
  const records = lines.map((line) => JSON.parse(line) as unknown)
  return changesOf(records).map(({at, change, line}) => ({
    apply: () => writeFileSync(file, lines.map((text, index) => (index === line ? JSON.stringify(changed(records[line], at, change)) : text)).join('\n') + '\n'),
    label: `line ${line + 1}, ${at.join('.')} ${change.name}`,
    identity: identifies(line, at) ? file : undefined,
  }))
}

describe('hardening: every field of the real agents\' records changed, one at a time', function () {
  this.timeout(240_000)

  it('Claude Code: every session is still read, none fails', async () => {
    const config = tempDir('sessionsync-mutated-claude-')
    const session = 'f6ca3445-9328-436a-810d-33c2929c3720'
    const project = path.join(config, 'projects', '-tmp-conformance-claude-workspace')
    // The session with its subagent, without the other samples, which would be read again for nothing.
    const samples = path.join(SAMPLES, 'claude', 'projects', '-tmp-conformance-claude-workspace')
    cpSync(path.join(samples, session), path.join(project, session), {recursive: true})
    copyFileSync(path.join(samples, `${session}.jsonl`), path.join(project, `${session}.jsonl`))
    const env = {CLAUDE_CONFIG_DIR: config, HOME: path.join(config, 'home')}
    expect((await readAll(claudeReader, env)).ids).to.have.property('size', 2)
    // The main session, the richest (every tool, an image, a subagent); bookkeeping lines are passed over unread.
    const cases = jsonLinesCases(path.join(project, `${session}.jsonl`))
    expect(cases.length).to.be.greaterThan(500)
    expect(await failuresOf(cases, () => readAll(claudeReader, env), session)).to.deep.equal([])
  })

  // The main session of each Pi version the conformance suite runs: 1.x adds a system message, durations, usage fields.
  for (const [folder, name] of [['pi', '2026-11-25T05-49-52-533Z_01a21140-da15-7500-8c8c-8509e1fe68d2'], ['pi-1', '2026-12-02T06-20-16-553Z_01a23569-3329-700a-954d-8b984c426211']]) {
    it(`Pi (${folder}): every session is still read, none fails`, async () => {
      const agentDir = tempDir('sessionsync-mutated-pi-')
      cpSync(path.join(SAMPLES, folder), agentDir, {recursive: true})
      const session = name.slice(name.indexOf('_') + 1)
      const file = path.join(agentDir, `sessions/--tmp-conformance-${folder}-workspace--`, `${name}.jsonl`)
      const env = {HOME: path.join(agentDir, 'home'), PI_CODING_AGENT_DIR: agentDir}
      // Pi itself loads no file whose first line is not a session header with an id.
      const cases = jsonLinesCases(file, (line, at) => line === 0 && at.length === 1 && (at[0] === 'type' || at[0] === 'id'))
      expect(cases.length).to.be.greaterThan(300)
      expect(await failuresOf(cases, () => readAll(piReader, env), session)).to.deep.equal([])
    })
  }

  it('OpenCode: every session is still read, none fails, whichever row of its database holds the change', async () => {
    const data = tempDir('sessionsync-mutated-opencode-')
    const database = path.join(data, 'opencode', 'opencode.db')
    mkdirSync(path.dirname(database))
    const source = path.join(SAMPLES, 'opencode', 'opencode.db')
    const env = {HOME: path.join(data, 'home'), XDG_DATA_HOME: data}
    const original = new Database(source, {readonly: true})
    const sessionOf = (table: string) => original.prepare(`SELECT id, session_id AS session, data FROM ${table} ORDER BY time_created`).all() as {data: string; id: string; session: string}[]
    const rows = [...sessionOf('message').map((row) => ({...row, table: 'message'})), ...sessionOf('part').map((row) => ({...row, table: 'part'}))]
    original.close()
    const session = rows[0].session
    const mine = rows.filter((row) => row.session === session)
    const records = mine.map((row) => JSON.parse(row.data) as Record<string, unknown>)
    const cases = changesOf(records).map(({at, change, line}) => ({
      apply() {
        copyFileSync(source, database)
        const db = new Database(database)
        db.prepare(`UPDATE ${mine[line].table} SET data = ? WHERE id = ?`).run(JSON.stringify(changed(records[line], at, change)), mine[line].id)
        db.close()
      },
      label: `${mine[line].table} ${mine[line].id}, ${at.join('.')} ${change.name}`,
    }))
    expect(cases.length).to.be.greaterThan(300)
    expect(await failuresOf(cases, () => readAll(opencodeReader, env), session)).to.deep.equal([])
  })
})
