import {expect} from 'chai'
import {opencodeReader} from '../../../plugins/reader-opencode/src/reader.js'
import {blocksOf, callEnds, callOutcomes} from '../../helpers/session.js'
import {discoverAll, IDS, insertMessages, type OpenCodeHome, opencodeHome, PIXEL_PNG, readSession, user, version1Turn} from './opencode-home.js'
import {insertVersion2Session, migrateToVersion2, T2, V2_IDS, version2OnlyHome} from './opencode2.js'

describe('OpenCode reader: OpenCode 2 (session_v2 and session_message)', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome()
    migrateToVersion2(home)
  })
  afterEach(() => home.writer.close())

  it("finds OpenCode 2's sessions, and 1.x's that it has no copy of; a session it copied is read from its copy", async () => {
    const ctx = home.context()
    const refs = await discoverAll(ctx)
    const byId = new Map(refs.map((ref) => [ref.id, ref]))
    expect(refs.filter((ref) => ref.id === IDS.main), 'once').to.have.length(1)
    expect(byId.get(IDS.main)!.locator).to.deep.equal({layout: 'database', tables: 'version2-continued'})
    // 1.x made them after the copy, or OpenCode 2 did not copy them: still read from 1.x's tables.
    expect(byId.get(IDS.fork)!.locator).to.deep.equal({layout: 'database', tables: 'version1'})
    expect(byId.get(V2_IDS.session)).to.include({parentId: null, title: 'Read input.txt', workspace: home.workspace})
    expect(byId.get(V2_IDS.child)).to.include({parentId: V2_IDS.session, title: 'Look around'})
    // Untitled: named by its first request.
    expect(byId.get(V2_IDS.fork)!.title).to.equal('Read input.txt and look around')
    expect(ctx.warnings, 'no warning about OpenCode 2').to.deep.equal([])

    const main = await readSession(home, IDS.main)
    expect(main.messages.at(-1)!.blocks).to.deep.equal([{text: 'Continue this in v2', type: 'text'}])
    expect(blocksOf(main, 'event').map((event) => event.kind)).to.deep.equal(['compaction', 'notice'])
  })

  it('reads what 1.x wrote to a session after OpenCode 2 copied it, in time order, and sees each such write as a change', async () => {
    const fingerprints = async () => new Map((await discoverAll(home.context())).map((ref) => [ref.id, ref.fingerprint]))
    insertMessages(home.writer, IDS.main, [[user(1_795_585_783_000 + 5050), [{text: 'Folded into the copy', type: 'text'}]]])
    const before = await fingerprints()
    // 1.18 still installed: a turn before OpenCode 2's own prompt, and one after it.
    insertMessages(home.writer, IDS.main, version1Turn(T2 - 1000, home.workspace, 'Back in 1.18: which test is slow?', 'The upload test, 4 s.'))
    const between = await fingerprints()
    insertMessages(home.writer, IDS.main, version1Turn(T2 + 120_000, home.workspace, 'Run it again', 'It passes in 0.2 s now.'))
    const after = await fingerprints()
    expect(between.get(IDS.main), 'a 1.x turn changes the session').to.not.equal(before.get(IDS.main))
    expect(after.get(IDS.main)).to.not.equal(between.get(IDS.main))
    expect(after.get(V2_IDS.session), 'and no other').to.equal(before.get(V2_IDS.session))

    const ref = (await discoverAll(home.context())).find((candidate) => candidate.id === IDS.main)!
    expect(ref.updatedAt, "1.x's last write").to.equal(new Date(T2 + 120_100).toISOString())
    const main = await readSession(home, IDS.main)
    const said = main.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'text' ? [`${message.role}: ${block.text}`] : [])))
    // What OpenCode 2 copied is read once, from its copy.
    expect(said.filter((line) => line === 'user: Fix the flaky upload test')).to.have.length(1)
    expect(said, 'a 1.x message older than the copy is in it, under another id').to.not.include('user: Folded into the copy')
    expect(said.slice(-6)).to.deep.equal([
      'assistant: Summary: the upload test was fixed.',
      'user: Back in 1.18: which test is slow?',
      'assistant: The upload test, 4 s.',
      'user: Continue this in v2',
      'user: Run it again',
      'assistant: It passes in 0.2 s now.',
    ])
  })

  it('reads prompts, attached files, reasoning, tool calls with their results and errors, and each step\'s usage', async () => {
    const session = await readSession(home, V2_IDS.session)
    const [prompt] = session.messages
    expect(prompt).to.include({role: 'user', timestamp: new Date(T2 + 1).toISOString()})
    expect(prompt.blocks).to.deep.equal([
      {text: 'Read input.txt and look around', type: 'text'},
      {data: PIXEL_PNG, kind: 'image', mimeType: 'image/png', name: 'screen.png', path: null, type: 'attachment'},
      {data: null, kind: 'file', mimeType: 'text/plain', name: 'Cargo.toml', path: `${home.workspace}/Cargo.toml`, type: 'attachment'},
    ])
    const filesAlone = session.messages.find((message) => message.blocks.some((block) => block.type === 'attachment' && block.name === 'README.md'))!
    expect(filesAlone.blocks.map((block) => block.type), 'no empty text').to.deep.equal(['attachment', 'event'])
    expect(blocksOf(session, 'thinking')).to.deep.equal([{redacted: false, text: 'The user wants me to read input.txt.', type: 'thinking'}])
    expect(callOutcomes(session)).to.deep.equal([['read', false], ['read', true], ['subagent', false], ['edit', false], ['edit', true]])
    // Timed from when it was called, once its arguments had streamed; the call stopped while they streamed never ended.
    expect(callEnds(session)).to.deep.equal([['read', 'ok', null, 5], ['read', 'error', null, null], ['subagent', 'ok', null, null], ['edit', 'ok', null, null], ['edit', 'unfinished', null, null]])
    // Named by its tool's `path`, and by the step's snapshot of the work tree.
    expect(session.filesChanged).to.deep.equal([`${home.workspace}/input.txt`, `${home.workspace}/notes.md`])
    const results = blocksOf(session, 'tool_result')
    expect(results[0].output).to.equal('Read file input.txt, lines 1-3\n1: alpha\n2: beta\n3: gamma')
    expect(results[1].output).to.equal('File not found: /nonexistent/file.txt')
    // Stopped while its arguments streamed: the text received so far.
    expect(blocksOf(session, 'tool_call').at(-1)!.input).to.equal('{"path":"src/ma')
    expect(session.models).to.deep.equal(['opencode/big-pickle'])
    // Four steps and the compaction's summary, each counted once.
    expect(session.usage).to.deep.include({cacheReadTokens: 4000, inputTokens: 4 * 6900 + 100, outputTokens: 4 * 93 + 20, reasoningTokens: 80})
    expect(session.usage!.costUsd).to.be.closeTo(4 * 0.002 + 0.0005, 1e-9)
    // Each step's usage on its message, the compaction's on its summary.
    const counted = session.messages.filter((message) => message.usage !== null)
    expect(counted.map((message) => [message.role, message.usage!.inputTokens, message.usage!.outputTokens, message.usage!.reasoningTokens, message.usage!.costUsd])).to.deep.equal([
      ...Array.from({length: 4}, () => ['assistant', 6900, 93, 20, 0.002]),
      ['system', 100, 20, 0, 0.0005],
    ])
    expect(blocksOf(session, 'text').map((block) => block.text)).to.include('Here are the results: alpha, beta, gamma.')
  })

  it('shows what happened between the messages: reminders, a shell command, a model switch, errors, compactions (failed, done, unfinished), an interruption', async () => {
    const ctx = home.context()
    const session = await readSession(home, V2_IDS.session, ctx)
    const shown = session.messages.flatMap((message) => message.blocks.flatMap((block) => (block.type === 'event' ? [`${message.role} ${block.kind}: ${block.text}`] : block.type === 'text' && message.role === 'user' ? [`user: ${block.text}`] : [])))
    expect(shown).to.deep.equal([
      'user: Read input.txt and look around',
      `assistant files-changed: ${home.workspace}/notes.md`,
      'user synthetic: <system-reminder>\nYou are in Plan mode.\n</system-reminder>',
      'user: ! ls missing',
      "system shell_output: ls: cannot access 'missing'\n\nExit code 2",
      'system model_switched: opencode/big-pickle → anthropic/claude-sonnet-4-5',
      `system folder_switched: ${home.workspace} → ${home.workspace}/docs`,
      'user: Keep going',
      'user agent: @general',
      'system skill: release-notes',
      'assistant error: api.error: Overloaded',
      'user compaction: Context compaction (automatic)',
      'system error: compaction.failed: The summary request timed out',
      'user compaction: Context compaction (automatic)',
      'system compaction_summary: We read input.txt: alpha, beta, gamma.',
      'system interrupted: The turn was interrupted',
      'user compaction: Context compaction requested',
      'system compaction: Not finished: no summary yet',
    ])
    // A row of a type it does not know, and one whose JSON is cut off: each costs only itself.
    expect(ctx.debugs.filter((line) => line.includes('of unknown type'))).to.have.length(1).and.to.match(/of unknown type "hologram-state"/)
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(new RegExp(`session ${V2_IDS.session}, message msg_\\w+: its JSON data is corrupt`))
  })

  it("keeps what a failed call printed, says how a stopped shell command ended, and shows OpenCode's own notices as such", async () => {
    const id = 'ses_ee23fc0a1ffeStoppedAndFail'
    const t = T2 + 200_000
    const model = {id: 'big-pickle', providerID: 'opencode'}
    insertVersion2Session(home.writer, {created: t, directory: home.workspace, id, title: 'Build it'}, [
      ['user', {files: [], text: 'Run the build', time: {created: t + 1}}],
      ['assistant', {agent: 'build', content: [
        {id: 'call_build', name: 'shell', state: {content: [{text: 'compiling 3 of 9', type: 'text'}], error: {message: 'Command failed: out of memory', type: 'tool.execution'}, input: {command: 'make'}, status: 'error'}, time: {completed: t + 900, created: t + 10, ran: t + 20}, type: 'tool'},
      ], finish: 'tool-calls', model, time: {completed: t + 950, created: t + 5}}],
      ['shell', {command: 'sleep 999', output: {cursor: 8, output: 'waiting', size: 8, truncated: false}, shellID: 'sh_2', status: 'timeout', time: {completed: t + 2000, created: t + 1000}}],
      ['shell', {command: 'yes', output: {cursor: 0, output: '', size: 0, truncated: false}, shellID: 'sh_3', status: 'killed', time: {completed: t + 3000, created: t + 2500}}],
      ['system', {description: 'Tools changed', text: 'The `bash` tool is now `shell`.', time: {created: t + 3100}}],
    ])
    const session = await readSession(home, id)
    expect(blocksOf(session, 'tool_result').map(({output, status}) => [status, output])).to.deep.equal([['error', 'compiling 3 of 9\n\nCommand failed: out of memory']])
    const shown = session.messages.slice(3).map((message) => [message.role, ...message.blocks.map((block) => (block.type === 'event' ? `${block.kind}: ${block.text}` : block.type === 'text' ? block.text : block.type))])
    expect(shown).to.deep.equal([
      ['user', '! sleep 999'],
      ['system', 'shell_output: waiting\n\nTimed out'],
      ['user', '! yes'],
      ['system', 'shell_output: Killed'],
      ['system', 'notice: Tools changed\n\nThe `bash` tool is now `shell`.'],
    ])
  })

  it('links a subagent to the call that started it, and a fork to its original with the messages it copied', async () => {
    const parent = await readSession(home, V2_IDS.session)
    expect(blocksOf(parent, 'tool_call').find((call) => call.name === 'subagent')!.subagentId).to.equal(V2_IDS.child)
    const child = await readSession(home, V2_IDS.child)
    expect(child).to.include({parentId: V2_IDS.session, parentToolCallId: V2_IDS.subagentCall})
    const fork = await readSession(home, V2_IDS.fork)
    // The prompt, the step and its tools' results were copied; what follows is the fork's own.
    expect(fork).to.include({copiedMessages: 3, forkedFrom: V2_IDS.session})
    expect(fork.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'user'])
    expect(fork.messages[3].blocks).to.deep.equal([{text: 'Try another file', type: 'text'}])
  })

  it('sees a step rewritten in place as a change of its session, and of no other', async () => {
    const fingerprints = async () => new Map((await discoverAll(home.context())).map((ref) => [ref.id, ref.fingerprint]))
    const before = await fingerprints()
    // Same rows, same size: only the time of the last write, now, tells.
    home.writer.prepare("UPDATE session_message SET time_updated = ? WHERE session_id = ? AND type = 'idle'").run(T2 + 60_000, V2_IDS.session)
    const after = await fingerprints()
    expect(after.get(V2_IDS.session)).to.not.equal(before.get(V2_IDS.session))
    expect(after.get(V2_IDS.child)).to.equal(before.get(V2_IDS.child))
  })

  it('reads a database that only OpenCode 2 has written', async () => {
    const only = version2OnlyHome()
    try {
      const ctx = only.context()
      const refs = await discoverAll(ctx)
      expect(refs.map((ref) => ref.id)).to.deep.equal([V2_IDS.session])
      expect(ctx.warnings).to.deep.equal([])
      const session = await opencodeReader.read(refs[0], ctx)
      expect(session.messages[0].blocks[0]).to.deep.equal({text: 'Read input.txt and look around', type: 'text'})
    } finally {
      only.writer.close()
    }
  })
})
