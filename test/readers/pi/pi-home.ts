import {cpSync, mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {piReader} from '../../../plugins/reader-pi/src/reader.js'
import type {SessionRef} from '../../../src/model/ref.js'
import type {Session} from '../../../src/model/session.js'
import {SessionSchema} from '../../../src/model/session.js'
import {REPO, tempDir} from '../../helpers/cli.js'
import {type RecordingContext, readerContext} from '../../helpers/reader-context.js'

export const FIXTURES = path.join(REPO, 'test/fixtures/pi/sessions')

/** Session ids of the fixtures (the `id` of each header, also in the file names). */
export const IDS = {
  compacted: '019ab7e1-0c44-7d2b-8f60-93a5c1d2e4b7',
  fork: '019ab3f1-2c07-7b91-a6d4-5e8f0c1b2a39',
  tree: '019aa0c4-5d10-7a3e-9c41-2f0d6e8b7a15',
  v1: '5b6f2c1e-8a4d-4e0b-9c7a-1d2e3f4a5b6c',
}

/** Text only the branches the user left in the tree fixture contain. */
export const ABANDONED_MARKERS = ['FASTER-BRANCH', 'PYTHON-BRANCH', 'Make the build faster', 'Rewrite build.sh in Python']

export interface PiHome {
  /** What `$PI_CODING_AGENT_DIR` points at: a copy of the fixtures under `sessions/`. */
  agentDir: string
  env: NodeJS.ProcessEnv
  context(options?: Record<string, unknown>): RecordingContext
}

/** A fake HOME with Pi's agent folder moved elsewhere by `$PI_CODING_AGENT_DIR`, holding the fixtures. */
export function piHome(): PiHome {
  const root = tempDir('sessionsync-pi-')
  const agentDir = path.join(root, 'pi-agent')
  cpSync(FIXTURES, path.join(agentDir, 'sessions'), {recursive: true})
  const env = {HOME: path.join(root, 'home'), PI_CODING_AGENT_DIR: agentDir}
  return {agentDir, context: (options = {}) => readerContext(env, {options}), env}
}

/** Writes a session file of JSON lines into a project folder of the agent dir; returns its path. */
export function writeSession(agentDir: string, name: string, lines: unknown[], raw = ''): string {
  const folder = path.join(agentDir, 'sessions', '--tmp-project--')
  mkdirSync(folder, {recursive: true})
  const file = path.join(folder, name)
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join('') + raw)
  return file
}

export async function discoverAll(ctx: RecordingContext): Promise<SessionRef[]> {
  const refs: SessionRef[] = []
  for await (const ref of piReader.discover(await piReader.locate(ctx), ctx)) refs.push(ref)
  return refs
}

/** Discovers and reads every session, each checked against the model's schema. */
export async function readAll(ctx: RecordingContext): Promise<Map<string, Session>> {
  const sessions = new Map<string, Session>()
  for (const ref of await discoverAll(ctx)) sessions.set(ref.id, SessionSchema.parse(await piReader.read(ref, ctx)))
  return sessions
}

/** Everything said in a session, for checking what must (not) be in it. */
export function allText(session: Session): string {
  return JSON.stringify(session.messages)
}
