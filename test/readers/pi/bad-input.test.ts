import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {piReader} from '../../../plugins/reader-pi/src/reader.js'
import {discoverAll, IDS, piHome, readAll, writeSession} from './pi-home.js'

const header = (id: string) => ({cwd: '/tmp/project', id, timestamp: '2026-11-24T10:00:00.000Z', type: 'session', version: 3})
const userEntry = (id: string, parentId: string | null, text: string) => ({
  id,
  message: {content: [{text, type: 'text'}], role: 'user', timestamp: 1_795_860_000_000},
  parentId,
  timestamp: '2026-11-24T10:00:01.000Z',
  type: 'message',
})

describe('Pi reader: bad and unexpected input', () => {
  for (const allBranches of [false, true]) {
    it(`skips a corrupt line with one warning naming the file and line, and keeps the rest (allBranches: ${allBranches})`, async () => {
      const {agentDir, context} = piHome()
      const file = writeSession(agentDir, 'corrupt.jsonl', [header('corrupt'), userEntry('a1', null, 'first')], `{"type":"message","id":"a2",\n${JSON.stringify(userEntry('a3', 'a1', 'third'))}\n`)
      const ctx = context({allBranches})
      const session = (await readAll(ctx)).get('corrupt')!
      expect(ctx.warnings).to.have.length(1)
      expect(ctx.warnings[0].startsWith(`${file}:3: skipped a corrupt line (`), ctx.warnings[0]).to.equal(true)
      expect(session.messages.map((message) => message.id)).to.deep.equal(['a1', 'a3'])
    })
  }

  it('skips a last line Pi is still writing, silently', async () => {
    const {agentDir, context} = piHome()
    writeSession(agentDir, 'torn.jsonl', [header('torn'), userEntry('a1', null, 'first')], '{"type":"message","id":"a2","parentId":"a1","mess')
    const ctx = context()
    expect((await readAll(ctx)).get('torn')?.messages.map((message) => message.id)).to.deep.equal(['a1'])
    expect(ctx.warnings).to.deep.equal([])
  })

  it('warns once about a file that is empty or has no session header, and reads the others', async () => {
    const {agentDir, context} = piHome()
    const empty = writeSession(agentDir, 'empty.jsonl', [])
    const headless = writeSession(agentDir, 'headless.jsonl', [userEntry('a1', null, 'no header')])
    const ctx = context()
    const sessions = await readAll(ctx)
    expect(ctx.warnings).to.deep.equal([`${empty}: skipped, line 1 is not a Pi session header`, `${headless}: skipped, line 1 is not a Pi session header`])
    expect([...sessions.keys()].sort()).to.deep.equal(Object.values(IDS).sort())
  })

  it('skips entry types and message roles it does not know, saying so under --verbose', async () => {
    const {agentDir, context} = piHome()
    const file = writeSession(agentDir, 'future.jsonl', [
      header('future'),
      userEntry('a1', null, 'hello'),
      {id: 'a2', parentId: 'a1', timestamp: '2026-11-24T10:00:02.000Z', type: 'checkpoint', snapshot: {files: 3}},
      {id: 'a3', message: {content: [{text: 'from a plugin', type: 'text'}], role: 'pluginNote', timestamp: 1_795_860_003_000}, parentId: 'a2', timestamp: '2026-11-24T10:00:03.000Z', type: 'message'},
      {id: 'a4', message: {content: [{text: 'no role at all', type: 'text'}]}, parentId: 'a3', timestamp: '2026-11-24T10:00:04.000Z', type: 'message'},
    ])
    const ctx = context()
    const session = (await readAll(ctx)).get('future')!
    expect(session.messages.map((message) => [message.id, message.role])).to.deep.equal([['a1', 'user'], ['a3', 'system'], ['a4', 'system']])
    expect(ctx.debugs).to.deep.equal([
      `${file}: line 3: entry type "checkpoint" is not known; skipped`,
      `${file}: message role "pluginNote" is not known; kept its content as a system message`,
      `${file}: a message without a role; kept its content as a system message`,
    ])
    expect(ctx.warnings).to.deep.equal([])
  })

  it('survives entries with missing fields, wrong types and a parent cycle', async () => {
    const {agentDir, context} = piHome()
    writeSession(agentDir, 'odd.jsonl', [
      {...header('odd'), cwd: 42, timestamp: 'not a time'},
      {id: 'b1', parentId: 'b2', timestamp: '2026-11-24T10:00:01.000Z', type: 'message', message: {content: 'loop one', role: 'user'}},
      {id: 'b2', parentId: 'b1', timestamp: '2026-11-24T10:00:02.000Z', type: 'message', message: {content: [{type: 'toolCall'}, 'x', null], role: 'assistant', usage: {input: 'many', output: -3}}},
      {id: 'b3', parentId: 'b2', type: 'message', message: {role: 'toolResult'}},
      {id: 'b4', parentId: 'b3', type: 'message'},
      {id: 'b5', parentId: 'b4', type: 'compaction'},
    ])
    const ctx = context()
    const session = (await readAll(ctx)).get('odd')!
    expect(session.workspace).to.equal(null)
    expect(session.createdAt).to.equal(null)
    expect(session.messages.map((message) => message.id)).to.deep.equal(['b1', 'b2', 'b3', 'b5'])
    expect(session.usage).to.deep.include({inputTokens: 0, outputTokens: 0})
  })

  it('never changes the files it reads', async () => {
    const {agentDir, context} = piHome()
    const file = path.join(agentDir, 'sessions/--home-dev-legacy--', `2025-11-03T10-20-30-400Z_${IDS.v1}.jsonl`)
    const before = readFileSync(file)
    const ctx = context({allBranches: true})
    for (const ref of await discoverAll(ctx)) await piReader.read(ref, ctx)
    expect(readFileSync(file).equals(before)).to.equal(true)
  })
})
