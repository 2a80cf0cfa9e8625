import {expect} from 'chai'
import type {Session} from '../../../src/model/session.js'
import {ABANDONED_MARKERS, allText, IDS, piHome, readAll} from './pi-home.js'
import {blocksOf} from '../../helpers/session.js'

describe('Pi reader: reading a session', () => {
  let sessions: Map<string, Session>
  let session: (id: string) => Session

  before(async () => {
    sessions = await readAll(piHome().context())
    session = (id) => {
      expect(sessions.has(id), `session ${id}`).to.equal(true)
      return sessions.get(id)!
    }
  })

  it('follows the active branch of the tree, from the root to the last entry, in order', () => {
    const tree = session(IDS.tree)
    expect(tree.messages.map((message) => message.id)).to.deep.equal([
      '3f9a1c2e', // model_change
      'b27d40e1', // thinking_level_change
      'c81e5f03', // the prompt the user asked again instead of "Make the build faster"
      '5a0d7b92',
      'e4c2a816',
      '9d13f6b0',
      '71be0c4d',
      '0c6f9e27',
      '6d4a91f8', // branch_summary of the Python branch
      '2b8e05c7',
      'd93f6a1e',
      '48c0e7b5',
      '8a1f3d6c',
    ])
    expect(tree.messages.map((message) => message.role)).to.deep.equal([
      'system', 'system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'system', 'user', 'assistant', 'tool', 'assistant',
    ])
  })

  it('lets nothing of the branches the user left into the conversation, but lists them in extra', () => {
    const tree = session(IDS.tree)
    for (const marker of ABANDONED_MARKERS) expect(allText(tree)).to.not.include(marker)
    expect(tree.extra.branches).to.deep.equal([
      {leafId: 'c3d8e1f7', messages: 2, splitFrom: 'b27d40e1'},
      {leafId: 'f02b7c64', messages: 2, splitFrom: '0c6f9e27'},
    ])
  })

  it('sums usage and cost over the assistant messages of the active branch only', () => {
    expect(session(IDS.tree).usage).to.deep.equal({
      cacheReadTokens: 4800,
      cacheWriteTokens: 1200,
      costUsd: 0.044175,
      inputTokens: 10_420,
      outputTokens: 465,
      reasoningTokens: 0,
    })
    // Named as Pi's model changes name them: with the provider.
    expect(session(IDS.tree).models).to.deep.equal(['anthropic/claude-sonnet-4-5'])
    expect(session(IDS.tree).messages.find((message) => message.role === 'assistant')?.model).to.equal('anthropic/claude-sonnet-4-5')
  })

  it('pairs each tool call with its result, with the error flag of a failing command', () => {
    const tree = session(IDS.tree)
    const calls = blocksOf(tree, 'tool_call')
    const results = blocksOf(tree, 'tool_result')
    expect(calls.map((call) => call.name)).to.deep.equal(['bash', 'read', 'edit'])
    expect(results.map((result) => result.callId)).to.deep.equal(calls.map((call) => call.id))
    expect(calls[0].input).to.deep.equal({command: './build.sh'})
    expect(results.map((result) => result.isError)).to.deep.equal([true, false, false])
    expect(results[0].output).to.match(/link failed[\s\S]*Command exited with code 2$/)
  })

  it('turns an image a tool returned into an attachment beside its result', () => {
    const result = session(IDS.tree).messages.find((message) => message.id === '71be0c4d')!
    expect(result.role).to.equal('tool')
    expect(result.blocks.map((block) => block.type)).to.deep.equal(['tool_result', 'attachment'])
    expect(result.blocks[0]).to.include({callId: 'toolu_01ReadShot4e8a', output: 'Read image file [image/png]'})
    expect(result.blocks[1]).to.deep.include({kind: 'image', mimeType: 'image/png', path: null})
    expect(Buffer.from((result.blocks[1] as {data: string}).data, 'base64').subarray(1, 4).toString()).to.equal('PNG')
  })

  it('keeps thinking, and marks redacted and encrypted reasoning as redacted', () => {
    expect(blocksOf(session(IDS.tree), 'thinking')).to.deep.equal([
      {redacted: false, text: 'The build script probably swallows errors. Run it first.', type: 'thinking'},
      {redacted: true, text: '[Reasoning redacted]', type: 'thinking'},
    ])
    expect(blocksOf(session(IDS.compacted), 'thinking')).to.deep.equal([{redacted: true, text: '', type: 'thinking'}])
  })

  it('shows model and thinking-level changes, labels, compactions and branch summaries as events', () => {
    expect(blocksOf(session(IDS.tree), 'event')).to.deep.equal([
      {kind: 'model_change', text: 'Model: anthropic/claude-sonnet-4-5', type: 'event'},
      {kind: 'thinking_level_change', text: 'Thinking level: medium', type: 'event'},
      {kind: 'label', text: 'Label: first failure', type: 'event'},
      {kind: 'branch_summary', text: 'The user explored rewriting build.sh in Python and dropped the idea.', type: 'event'},
    ])
    const events = blocksOf(session(IDS.compacted), 'event')
    expect(events.find((block) => block.kind === 'compaction')?.text).to.equal('Conversation compacted (48213 tokens before)')
    expect(events.find((block) => block.kind === 'compaction_summary')?.text).to.match(/^## Goal\nRefactor the config loader/)
  })

  it('keeps the messages before a compaction, and the ones after it in order', () => {
    const compacted = session(IDS.compacted)
    const kinds = compacted.messages.map((message) => message.blocks[0]?.type === 'event' ? `event:${(message.blocks[0] as {kind: string}).kind}` : message.role)
    expect(kinds).to.deep.equal([
      'event:model_change', 'event:thinking_level_change', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant',
      'event:compaction', 'user', 'system', 'user', 'assistant',
    ])
  })

  it("gives the user's own shell command as typed and what it printed, and shows extension messages as system messages", () => {
    const compacted = session(IDS.compacted)
    expect(compacted.messages.find((message) => message.id === 'e92b6d35')?.blocks).to.deep.equal([
      {text: '! npm test', type: 'text'},
      {kind: 'shell_output', text: '12 passing\n1 failing\n\nCommand exited with code 1', type: 'event'},
    ])
    const reminder = compacted.messages.find((message) => message.id === '9c4e2a71')
    expect(reminder?.role).to.equal('system')
    expect(reminder?.blocks).to.deep.equal([{text: 'Remember to update CHANGELOG.md.', type: 'text'}])
  })

  it('records why a reply stopped short', () => {
    const last = session(IDS.compacted).messages.at(-1)!
    expect(last.blocks).to.deep.equal([
      {text: 'Looking at the failing', type: 'text'},
      {kind: 'aborted', text: 'Request was aborted', type: 'event'},
    ])
  })

  it('keeps labels and extension state as metadata, and shows a label at the entry it marks', () => {
    expect(session(IDS.tree).extra.labels).to.deep.equal({e4c2a816: 'first failure'})
    const labelled = session(IDS.tree).messages.find((message) => message.id === 'e4c2a816')
    expect(labelled?.blocks.at(-1)).to.deep.equal({kind: 'label', text: 'Label: first failure', type: 'event'})
    expect(session(IDS.compacted).extra.extensionState).to.deep.equal([{customType: 'todo-list', data: {items: [{done: false, text: 'fix failing merge test'}]}}])
    expect(allText(session(IDS.compacted))).to.not.include('fix failing merge test')
  })

  it('titles a session by its name, else by its first prompt', () => {
    expect(session(IDS.tree).title).to.equal('Harden the build script')
    expect(session(IDS.compacted).title).to.equal('Refactor the config loader into small modules')
  })

  it('takes the workspace, times and ids from the header and entries', () => {
    const compacted = session(IDS.compacted)
    expect(compacted).to.deep.include({
      agent: 'pi',
      createdAt: '2026-11-21T14:02:11.250Z',
      forkedFrom: null,
      parentId: null,
      schemaVersion: 1,
      updatedAt: '2026-11-21T14:02:25.250Z',
      workspace: '/home/dev/app/services/api',
    })
    expect(compacted.messages[2].timestamp, 'the message time (epoch ms), not the append time').to.equal('2026-11-21T14:02:14.247Z')
  })

  it('reads a version 1 file (no entry ids) as one chain in file order', () => {
    const v1 = session(IDS.v1)
    expect(v1.extra.formatVersion).to.equal(1)
    expect(v1.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant', 'system', 'system', 'user', 'assistant'])
    expect(v1.messages[0].blocks).to.deep.equal([{text: "Explain what the Makefile's install target does", type: 'text'}])
    expect(v1.messages.at(-1)!.blocks).to.deep.equal([{text: 'Added `uninstall: rm -f /usr/local/bin/tool`.', type: 'text'}])
    expect(v1.usage).to.include({costUsd: 0.00705, inputTokens: 2050, outputTokens: 60})
    expect(v1.models).to.deep.equal(['anthropic/claude-sonnet-4-20250514'])
  })

  it('links a fork to the session it was copied from, by the id in the parent file name', () => {
    const fork = session(IDS.fork)
    expect(fork.forkedFrom).to.equal(IDS.tree)
    expect(fork.parentId).to.equal(null)
    expect(fork.messages.slice(-2).map((message) => message.blocks[0])).to.deep.equal([
      {text: 'Also add a CI job that runs the build', type: 'text'},
      {text: 'FORK-ONLY: added .github/workflows/build.yml running ./build.sh.', type: 'text'},
    ])
    // Those two are the fork's own; the copies before them keep their older times.
    expect(fork.copiedMessages).to.equal(fork.messages.length - 2)
    expect(allText(session(IDS.tree))).to.not.include('FORK-ONLY')
  })

  it('reads the git branch of the workspace at export, as Pi records none', () => {
    expect(session(IDS.tree).gitBranch).to.deep.equal({first: null, last: null, readAtExport: true, seen: []})
  })
})
