import path from 'node:path'
import {claudeReader} from '../../../plugins/reader-claude/src/reader.js'
import type {ReaderContext} from '../../../src/plugin-api.js'
import type {SessionRef} from '../../../src/model/ref.js'
import {type Session, SessionSchema} from '../../../src/model/session.js'
import {REPO} from '../../helpers/cli.js'
import {readerContext, type RecordingContext} from '../../helpers/reader-context.js'

/** A Claude Code configuration folder with sessions of every era (see its projects/). */
export const FIXTURE = path.join(REPO, 'test/fixtures/claude/config')
/** Sessions written by a real Claude Code 2.1.332 (the conformance suite's samples). */
export const REAL_SAMPLES = path.join(REPO, 'test/agents/samples/claude')

export const SESSION = {
  v1: '1a0e5c2b-7f1d-4c3a-9e10-000000000001',
  v2: '2b0e5c2b-7f1d-4c3a-9e10-000000000002',
  v21: '3c0e5c2b-7f1d-4c3a-9e10-000000000003',
  compacted: '4d0e5c2b-7f1d-4c3a-9e10-000000000004',
  rewound: '5e0e5c2b-7f1d-4c3a-9e10-000000000005',
  image: '6f0e5c2b-7f1d-4c3a-9e10-000000000006',
  otherWorkspace: '7a0e5c2b-7f1d-4c3a-9e10-000000000007',
}

export function claudeContext(configDir = FIXTURE, overrides: Partial<ReaderContext> = {}): RecordingContext {
  return readerContext({CLAUDE_CONFIG_DIR: configDir, HOME: '/nonexistent-home'}, overrides)
}

export async function discoverAll(ctx: ReaderContext): Promise<SessionRef[]> {
  const refs: SessionRef[] = []
  for await (const ref of claudeReader.discover(await claudeReader.locate(ctx), ctx)) refs.push(ref)
  return refs
}

/** Discovers, then reads the session with this id, checked against the model's schema. */
export async function readSession(id: string, ctx: ReaderContext = claudeContext()): Promise<Session> {
  const ref = (await discoverAll(ctx)).find((candidate) => candidate.id === id)
  if (!ref) throw new Error(`no session ${id} discovered`)
  return SessionSchema.parse(await claudeReader.read(ref, ctx))
}

/** Every text the export shows, in order, with the role that said it. */
export const transcript = (session: Session) =>
  session.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [`${message.role}: ${block.text}`] : block.type === 'event' ? [`${block.kind}`] : [])))
