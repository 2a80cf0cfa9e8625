import {expect} from 'chai'
import {piHome, readAll, writeSession} from './pi-home.js'

/**
 * A session as Pi 1.x (`@earendil-works/pi-coding-agent` 1.6) writes it: a system message with
 * the prompt and tools before the first prompt, usage on tool results and summaries, a `usage`
 * entry for a call that kept the cache warm, and a `context_edit` after a retried reply.
 */
const ID = '019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b'
const T = '2026-11-25T10:00:0'
const usage = (input: number, output: number, cacheRead: number, cost: number, extra: Record<string, unknown> = {}) => ({
  cacheRead, cacheWrite: 0, cost: {cacheRead: 0, cacheWrite: 0, input: 0, output: 0, total: cost}, input, output, totalTokens: input + output + cacheRead, ...extra,
})
const LINES = [
  {cwd: '/tmp/project', id: ID, timestamp: `${T}0.000Z`, type: 'session', version: 3},
  {id: 'a0000001', message: {content: '', role: 'system', sections: {preamble: 'You are a coding assistant running inside pi.'}, timestamp: 1_795_860_001_000, toolsAdded: [{description: 'Read a file', name: 'read'}]}, parentId: null, timestamp: `${T}1.000Z`, type: 'message'},
  {id: 'a0000002', message: {content: [{text: 'What is in notes.txt?', type: 'text'}], role: 'user', timestamp: 1_795_860_002_000}, parentId: 'a0000001', timestamp: `${T}2.000Z`, type: 'message'},
  {id: 'a0000003', message: {api: 'anthropic-messages', content: [{arguments: {path: 'notes.txt'}, id: 'toolu_1', name: 'read', type: 'toolCall'}], model: 'claude-sonnet-4-5', provider: 'anthropic', role: 'assistant', stopReason: 'toolUse', timestamp: 1_795_860_003_000, usage: usage(1000, 20, 0, 0.0033, {reasoning: 12})}, parentId: 'a0000002', timestamp: `${T}3.000Z`, type: 'message'},
  {id: 'a0000004', message: {content: [{text: 'buy milk', type: 'text'}], durationMs: 4, isError: false, role: 'toolResult', timestamp: 1_795_860_004_000, toolCallId: 'toolu_1', toolName: 'read', usage: usage(200, 10, 0, 0.0008)}, parentId: 'a0000003', timestamp: `${T}4.000Z`, type: 'message'},
  {id: 'a0000005', parentId: 'a0000004', replacement: null, targetId: 'a0000004', timestamp: `${T}5.000Z`, type: 'context_edit'},
  {id: 'a0000006', message: {api: 'anthropic-messages', content: [{text: 'It says: buy milk.', type: 'text'}], model: 'claude-sonnet-4-5', provider: 'anthropic', role: 'assistant', stopReason: 'stop', timestamp: 1_795_860_006_000, usage: usage(1100, 8, 0, 0.0034)}, parentId: 'a0000005', timestamp: `${T}6.000Z`, type: 'message'},
  {id: 'a0000007', kind: 'cache_warm', model: 'claude-sonnet-4-5', parentId: 'a0000006', provider: 'anthropic', timestamp: `${T}7.000Z`, type: 'usage', usage: usage(0, 1, 50_000, 0.015)},
  {firstKeptEntryId: 'a0000008', id: 'a0000008', parentId: 'a0000007', summary: 'The user asked what notes.txt holds.', timestamp: `${T}8.000Z`, tokensBefore: 2300, type: 'compaction', usage: usage(2300, 60, 0, 0.0078)},
]

/** Writes a 1.x session of `id`: its header, the prompt `ask`, then `entries` after it; reads it back. */
async function sessionOf(id: string, ask: string, entries: Array<Record<string, unknown>>) {
  const {agentDir, context} = piHome()
  const time = '2026-11-25T13:00:00.000Z'
  writeSession(agentDir, `2026-11-25T13-00-00-000Z_${id}.jsonl`, [
    {cwd: '/tmp/project', id, timestamp: time, type: 'session', version: 3},
    {id: 'p0000001', message: {content: ask, role: 'user', timestamp: Date.parse(time)}, parentId: null, timestamp: time, type: 'message'},
    ...entries,
  ])
  return (await readAll(context())).get(id)!
}

describe('Pi reader: sessions of Pi 1.x', () => {
  it('leaves the system prompt out, knows every entry, and counts every usage Pi counts', async () => {
    const {agentDir, context} = piHome()
    writeSession(agentDir, `2026-11-25T10-00-00-000Z_${ID}.jsonl`, LINES)
    const ctx = context()
    const session = (await readAll(ctx)).get(ID)!
    expect(session.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'assistant', 'system'])
    // The retried tool result Pi took out of the model's context stays, marked.
    expect(session.messages[2].blocks.at(-1)).to.deep.equal({kind: 'context_edit', text: "Taken out of the model's context later (the history keeps it).", type: 'event'})
    expect(JSON.stringify(session.messages)).to.not.include('You are a coding assistant')
    expect(ctx.debugs.filter((line) => line.includes(ID) || /not known/.test(line))).to.deep.equal([])
    expect(session.usage).to.deep.equal({
      cacheReadTokens: 50_000,
      cacheWriteTokens: 0,
      costUsd: 0.0303,
      inputTokens: 1000 + 200 + 1100 + 2300,
      // Pi 1.x counts the reasoning inside the output; the model apart from it.
      outputTokens: 20 - 12 + 10 + 8 + 1 + 60,
      reasoningTokens: 12,
    })
  })

  it('gives each message the usage Pi recorded on its entry: a reply\'s, a tool\'s own calls\', a compaction\'s; a cache-warming call has no message', async () => {
    const {agentDir, context} = piHome()
    writeSession(agentDir, `2026-11-25T10-00-00-000Z_${ID}.jsonl`, LINES)
    const session = (await readAll(context())).get(ID)!
    expect(session.messages.map((message) => [message.role, message.usage?.inputTokens ?? null, message.usage?.costUsd ?? null])).to.deep.equal([
      ['user', null, null],
      ['assistant', 1000, 0.0033],
      ['tool', 200, 0.0008],
      ['assistant', 1100, 0.0034],
      ['system', 2300, 0.0078],
    ])
    expect(session.messages[1].usage).to.deep.equal({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.0033, inputTokens: 1000, outputTokens: 8, reasoningTokens: 12})
    // The session's total has the `usage` entry's call, which no message holds.
    const ofMessages = session.messages.reduce((sum, message) => sum + (message.usage?.costUsd ?? 0), 0)
    expect(session.usage!.costUsd! - ofMessages).to.be.closeTo(0.015, 1e-12)
  })

  it('takes the id of a missing original from its file name, whole when it holds a `_`', async () => {
    const {agentDir, context} = piHome()
    const fork = '019ab3c4-0000-7000-8000-00000000f0f0'
    writeSession(agentDir, `2026-11-25T11-00-00-000Z_${fork}.jsonl`, [
      {cwd: '/tmp/project', id: fork, parentSession: '/elsewhere/--tmp-project--/2026-11-24T09-00-00-000Z_team_review.2.jsonl', timestamp: '2026-11-25T11:00:00.000Z', type: 'session', version: 3},
      {id: 'b0000001', message: {content: 'Go on', role: 'user', timestamp: 1_795_863_600_000}, parentId: null, timestamp: '2026-11-25T11:00:00.000Z', type: 'message'},
    ])
    const session = (await readAll(context())).get(fork)!
    expect(session.forkedFrom).to.equal('team_review.2')
  })

  it('marks a reply cut at the output token limit', async () => {
    const session = await sessionOf('019ab3c4-2222-7000-8000-00000000bbbb', 'Write a long essay', [
      {id: 'd0000002', message: {content: [{text: 'The essay begins and then', type: 'text'}], model: 'claude-sonnet-4-5', provider: 'anthropic', role: 'assistant', stopReason: 'length', timestamp: 1_795_870_801_000, usage: usage(10, 8192, 0, 0.12)}, parentId: 'p0000001', timestamp: '2026-11-25T13:00:01.000Z', type: 'message'},
    ])
    expect(session.messages.at(-1)!.blocks).to.deep.equal([{text: 'The essay begins and then', type: 'text'}, {kind: 'output_limit', text: 'The reply stopped at the output token limit.', type: 'event'}])
  })

  it('lists the calls a tool made to other tools under its result, and marks a reply the provider answers in the background', async () => {
    const session = await sessionOf('019ab3c4-4444-7000-8000-00000000dddd', 'Count the TODOs', [
      {id: 'f0000002', message: {api: 'openai-responses', content: [{arguments: {code: 'grep("TODO")'}, id: 'call_code', name: 'code', type: 'toolCall'}], model: 'gpt-5.5', provider: 'openai', role: 'assistant', stopReason: 'toolUse', timestamp: 1_795_870_801_000, usage: usage(100, 10, 0, 0.001)}, parentId: 'p0000001', timestamp: '2026-11-25T13:00:01.000Z', type: 'message'},
      {id: 'f0000003', message: {content: [{text: '3 TODOs', type: 'text'}], isError: false, nestedCalls: {calls: [
        {arguments: {pattern: 'TODO'}, durationMs: 42, id: 'n1', name: 'grep', status: 'ok'},
        {arguments: {path: 'gone.ts'}, error: 'File not found: gone.ts', id: 'n2', name: 'read', status: 'error'},
        {argumentsBytes: 20_000, id: 'n3', name: 'write', status: 'unfinished'},
      ], complete: false}, role: 'toolResult', timestamp: 1_795_870_802_000, toolCallId: 'call_code', toolName: 'code'}, parentId: 'f0000002', timestamp: '2026-11-25T13:00:02.000Z', type: 'message'},
      {id: 'f0000004', message: {api: 'openai-responses', content: [], deferred: {api: 'openai-responses', id: 'resp_68a1', modelId: 'gpt-5.5', provider: 'openai'}, model: 'gpt-5.5', provider: 'openai', role: 'assistant', stopReason: 'deferred', timestamp: 1_795_870_803_000, usage: usage(120, 0, 0, 0.001)}, parentId: 'f0000003', timestamp: '2026-11-25T13:00:03.000Z', type: 'message'},
    ])
    const [, , results, deferred] = session.messages
    expect(results.blocks.map((block) => block.type)).to.deep.equal(['tool_result', 'event'])
    expect(results.blocks[1]).to.deep.equal({
      kind: 'nested_calls',
      text: ['- grep `{"pattern":"TODO"}`: ok, 42 ms', '- read `{"path":"gone.ts"}`: error: File not found: gone.ts', '- write: unfinished', '- … and more, which Pi did not record'].join('\n'),
      type: 'event',
    })
    expect(deferred).to.deep.include({blocks: [{kind: 'deferred', text: 'The provider answers this reply in the background (response resp_68a1)', type: 'event'}], role: 'assistant'})
  })

  it('marks an entry a context_edit replaced in the model\'s context, with what replaced it', async () => {
    const session = await sessionOf('019ab3c4-3333-7000-8000-00000000cccc', 'Read the log', [
      {id: 'e0000002', message: {content: [{text: 'a very long log', type: 'text'}], isError: false, role: 'toolResult', timestamp: 1_795_870_801_000, toolCallId: 'c1', toolName: 'read'}, parentId: 'p0000001', timestamp: '2026-11-25T13:00:01.000Z', type: 'message'},
      {id: 'e0000003', parentId: 'e0000002', replacement: {content: [{text: '[log pruned]', type: 'text'}]}, targetId: 'e0000002', timestamp: '2026-11-25T13:00:02.000Z', type: 'context_edit'},
    ])
    expect(session.messages[1].blocks.at(-1)).to.deep.equal({kind: 'context_edit', text: "Replaced in the model's context later by: [log pruned]", type: 'event'})
  })
})
