import {cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {REPO, tempDir} from '../../helpers/cli.js'
import {blocksOf, callEnds, callOutcomes} from '../../helpers/session.js'
import {claudeContext, discoverAll, FIXTURE, readSession, REAL_SAMPLES, SESSION, transcript} from './helpers.js'
import {claudeReader} from '../../../plugins/reader-claude/src/reader.js'
import {SessionSchema} from '../../../src/model/session.js'
import type {RecordingContext} from '../../helpers/reader-context.js'

describe('Claude Code reader: reading a session', function () {
  describe('1.0.x, subagents inline as sidechain records', function () {
    it('exports the main thread without the subagent records, the Task call linked to the subagent', async function () {
      const session = await readSession(SESSION.v1)
      expect(transcript(session)).to.deep.equal(['user: How many TODO comments are left in src?', 'assistant: I will ask a subagent to count them.', 'assistant: There are two TODO comments left.'])
      const [task] = blocksOf(session, 'tool_call')
      const subagent = (await discoverAll(claudeContext())).find((ref) => ref.parentId === SESSION.v1)!
      expect(task.subagentId).to.equal(subagent.id)
      expect(blocksOf(session, 'tool_result').map((result) => result.callId)).to.deep.equal([task.id])
    })

    it('exports the sidechain as a session of its own, linked to the Task call by its prompt', async function () {
      const subagent = (await discoverAll(claudeContext())).find((ref) => ref.parentId === SESSION.v1)!
      const session = await readSession(subagent.id)
      expect(session.parentId).to.equal(SESSION.v1)
      expect(session.parentToolCallId).to.equal('toolu_01V1task')
      expect(transcript(session)).to.deep.equal(['user: Count the TODO comments under src/ and list the files.', 'assistant: Two TODOs: src/a.ts and src/b.ts.'])
      expect(blocksOf(session, 'tool_call').map((call) => call.name)).to.deep.equal(['Grep'])
      expect(session.title).to.equal('Count the TODO comments under src/ and list the files.')
    })
  })

  it('links a later inline subagent to its Task call by its prompt, past the records of an earlier one', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-app', `${SESSION.v1}.jsonl`)
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
    const [main, sidechain] = [records.find((record) => record.isSidechain === false), records.find((record) => record.isSidechain === true)]
    const at = (second: number) => `2026-03-02T10:0${second}:00.000Z`
    const more = [
      {...main, message: {content: 'And the FIXMEs?', role: 'user'}, parentUuid: records.at(-1).uuid, timestamp: at(1), type: 'user', uuid: 'fixme-1'},
      {...main, message: {content: [{id: 'toolu_fixme', input: {description: 'Count FIXMEs', prompt: 'Count the FIXME comments.'}, name: 'Task', type: 'tool_use'}], id: 'msg_fixme', model: 'claude-sonnet-4', role: 'assistant', type: 'message'}, parentUuid: 'fixme-1', timestamp: at(2), type: 'assistant', uuid: 'fixme-2'},
      {...sidechain, message: {content: 'Count the FIXME comments.', role: 'user'}, parentUuid: null, timestamp: at(3), type: 'user', uuid: 'fixme-side-1'},
      {...sidechain, message: {content: [{text: 'One FIXME, in src/c.ts.', type: 'text'}], id: 'msg_side', model: 'claude-sonnet-4', role: 'assistant', type: 'message'}, parentUuid: 'fixme-side-1', timestamp: at(4), type: 'assistant', uuid: 'fixme-side-2'},
      {...main, message: {content: [{content: 'One FIXME, in src/c.ts.', tool_use_id: 'toolu_fixme', type: 'tool_result'}], role: 'user'}, parentUuid: 'fixme-2', timestamp: at(5), type: 'user', uuid: 'fixme-3'},
    ]
    writeFileSync(file, [...records, ...more].map((record) => JSON.stringify(record)).join('\n') + '\n')
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.v1, ctx)
    const fixme = blocksOf(session, 'tool_call').find((call) => call.id === 'toolu_fixme')!
    const subagents = (await discoverAll(ctx)).filter((ref) => ref.parentId === SESSION.v1)
    expect(subagents).to.have.length(2)
    const second = await readSession(fixme.subagentId!, ctx)
    expect(second.parentToolCallId).to.equal('toolu_fixme')
    expect(transcript(second)).to.deep.equal(['user: Count the FIXME comments.', 'assistant: One FIXME, in src/c.ts.'])
  })

  describe('2.0.x, one record per block and flat agent files', function () {
    it('merges the records of one API message into one assistant message', async function () {
      const session = await readSession(SESSION.v2)
      const first = session.messages.find((message) => message.role === 'assistant')!
      expect(first.id).to.equal('msg_02V2aaaa')
      expect(first.blocks.map((block) => block.type)).to.deep.equal(['thinking', 'tool_call'])
      expect(session.title).to.equal('Check that the tests pass')
    })

    it('links the subagent file through the agent id in the Task result', async function () {
      const session = await readSession(SESSION.v2)
      expect(blocksOf(session, 'tool_call')[0].subagentId).to.equal('agent-5e1f0a9c')
      const subagent = await readSession('agent-5e1f0a9c')
      expect(subagent.parentId).to.equal(SESSION.v2)
      expect(subagent.parentToolCallId).to.equal('toolu_02V2task')
      expect(blocksOf(subagent, 'tool_result').map((result) => result.output)).to.deep.equal(['12 passing (340ms)'])
    })

    it('links each subagent to its own Task call, reading the parent once per run for all of them', async function () {
      const config = tempDir()
      cpSync(FIXTURE, config, {recursive: true})
      const project = path.join(config, 'projects', '-home-dev-app')
      const parentFile = path.join(project, `${SESSION.v2}.jsonl`)
      const records = readFileSync(parentFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line))
      const taskResult = records.find((record) => record.toolUseResult?.agentId === '5e1f0a9c')
      // A second subagent, named only in its result's text, as some 2.0.x results name theirs.
      const second = {...taskResult, message: {content: [{content: [{text: 'Lint is clean.\nagentId: 7d2e4b1f (for resuming)', type: 'text'}], tool_use_id: 'toolu_02V2lint', type: 'tool_result'}], role: 'user'}, parentUuid: records.at(-1).uuid, toolUseResult: undefined, uuid: 'cccc0000-0099-4000-8000-000000000099'}
      writeFileSync(parentFile, [...records, second].map((record) => JSON.stringify(record)).join('\n') + '\n')
      const agentFile = readFileSync(path.join(project, 'agent-5e1f0a9c.jsonl'), 'utf8')
      writeFileSync(path.join(project, 'agent-7d2e4b1f.jsonl'), agentFile.replaceAll('"agentId":"5e1f0a9c"', '"agentId":"7d2e4b1f"').replaceAll('-4000-8000-0000000000', '-4000-8000-0000000007'))

      const run = claudeContext(config)
      expect((await readSession('agent-5e1f0a9c', run)).parentToolCallId).to.equal('toolu_02V2task')
      // Later in the same run, the parent's results are what its first reading found.
      writeFileSync(parentFile, records.filter((record) => record !== taskResult).map((record) => JSON.stringify(record)).join('\n') + '\n')
      expect((await readSession('agent-7d2e4b1f', run)).parentToolCallId).to.equal('toolu_02V2lint')
      expect((await readSession('agent-7d2e4b1f', claudeContext(config))).parentToolCallId, 'a new run reads the parent again').to.equal(null)
    })
  })

  describe('2.1.x, subagents folder, progress records and parallel tool calls', function () {
    it('shows a slash command as the command, what it expanded to (the instructions the model followed) as an event after it, and no bookkeeping records', async function () {
      const session = await readSession(SESSION.v21)
      const said = transcript(session)
      expect(said[0]).to.equal('user: /review src/upload.ts')
      expect(said.join('\n')).to.not.include('expanded command body').and.not.include('command-name')
      expect(said).to.include('user: Thanks.')
      expect(session.messages[1]).to.deep.include({blocks: [{kind: 'command_prompt', text: 'Review the file src/upload.ts carefully. [expanded command body]', type: 'event'}], role: 'system'})
      expect(blocksOf(session, 'event').filter((event) => event.kind === 'command_prompt')).to.have.length(1)
    })

    it('keeps both calls of a parallel tool turn, each with its result', async function () {
      const session = await readSession(SESSION.v21)
      const turn = session.messages.find((message) => message.id === 'msg_03V3para')!
      expect(turn.blocks.map((block) => (block.type === 'tool_call' ? block.name : block.type))).to.deep.equal(['text', 'Read', 'Bash'])
      const results = new Map(blocksOf(session, 'tool_result').map((result) => [result.callId, result]))
      for (const call of blocksOf(session, 'tool_call')) expect(results.has(call.id), `result of ${call.id}`).to.equal(true)
    })

    it('reads a large output back from tool-results/, beside the session, not at the recorded path', async function () {
      const session = await readSession(SESSION.v21)
      const log = blocksOf(session, 'tool_result').find((result) => result.callId === 'toolu_03log')!
      const [note, ...lines] = log.output.split('\n')
      expect(note).to.equal('[The model was shown a preview of this output (first 2KB); Claude Code kept the whole of it in tool-results/toolu_03log.txt, shown here.]')
      expect(lines).to.have.length(1500)
      expect(log.output).to.include('line 1500 of the build log').and.not.include('persisted-output')
    })

    it('counts usage once per API message, from its last record', async function () {
      const session = await readSession(SESSION.v21)
      const counted = session.messages.filter((message) => message.role === 'assistant' && message.usage !== null)
      expect(counted.map((message) => [message.role, message.usage!.inputTokens, message.usage!.outputTokens])).to.deep.equal([['assistant', 900, 120], ['assistant', 900, 40], ['assistant', 1500, 25]])
      expect(session.messages.filter((message) => message.role === 'assistant')).to.have.length(3)
      expect(session.models).to.deep.equal(['claude-sonnet-4-5-20250929'])
      expect(session.source.agentVersion).to.equal('2.1.39')
      expect(session.extra).to.deep.include({entrypoint: 'cli', lastPrompt: 'Thanks.'})
    })

    it('links the subagent through its meta file, both ways', async function () {
      const session = await readSession(SESSION.v21)
      const spawn = blocksOf(session, 'tool_call').find((call) => call.id === 'toolu_03agent')!
      expect(spawn.subagentId).to.equal('agent-a3f29c1d7e8b4a60')
      const subagent = await readSession('agent-a3f29c1d7e8b4a60')
      expect(subagent).to.deep.include({parentId: SESSION.v21, parentToolCallId: 'toolu_03agent', title: 'Find callers'})
      expect(subagent.extra).to.deep.include({agentType: 'Explore'})
    })

    it('reports a record type it does not know under --verbose, and goes on', async function () {
      const ctx = claudeContext()
      const session = await readSession(SESSION.v21, ctx)
      expect(ctx.debugs.join('\n')).to.include('"future-record-type"')
      expect(ctx.warnings).to.deep.equal([])
      expect(session.title).to.equal('Upload review')
    })
  })

  it('crosses a compaction boundary and shows the summary as what it is', async function () {
    const session = await readSession(SESSION.compacted)
    expect(transcript(session)).to.deep.equal([
      'user: Start the migration to the new API',
      'assistant: Migrated the first module.',
      'compaction',
      'compaction_summary',
      'user: Now migrate the second module',
      'assistant: Migrated the second module.',
    ])
    expect(blocksOf(session, 'event')[0].text).to.equal('Conversation compacted (auto, 170251 tokens before)')
  })

  it('follows the branch the user rewound to, leaving the abandoned one out', async function () {
    const session = await readSession(SESSION.rewound)
    expect(transcript(session)).to.deep.equal(['user: Name a colour', 'assistant: Blue.', 'user: Name an animal', 'assistant: Otter.'])
    expect(session.extra.abandonedBranches).to.equal(1)
  })

  it('with --all-branches, exports the branch the user left as a session of its own, forked from the main one', async function () {
    const ctx = claudeContext(undefined, {options: {allBranches: true}})
    const branches = (await discoverAll(ctx)).filter((ref) => ref.id.startsWith(`${SESSION.rewound}.branch-`))
    expect(branches.map((ref) => ref.title)).to.deep.equal(['Name a colour (branch 1)'])
    const branch = await readSession(branches[0].id, ctx)
    expect(transcript(branch)).to.deep.equal(['user: Name a colour', 'assistant: Blue.', 'user: Name a fruit', 'assistant: Apple (abandoned branch).'])
    expect(branch).to.include({copiedMessages: 2, forkedFrom: SESSION.rewound, id: branches[0].id, title: 'Name a colour (branch 1)'})
    // Without the flag, and for sessions without a rewind, there is none.
    expect((await discoverAll(claudeContext())).filter((ref) => ref.id.includes('.branch-'))).to.deep.equal([])
    expect((await discoverAll(ctx)).filter((ref) => ref.id.includes('.branch-'))).to.have.length(1)
  })

  it('with --all-branches, reads a file once per run for its main session and the branches it left', async function () {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-app', `${SESSION.rewound}.jsonl`)
    const run = claudeContext(config, {options: {allBranches: true}})
    const branch = (await discoverAll(run)).find((ref) => ref.id.startsWith(`${SESSION.rewound}.branch-`))!
    expect(transcript(await readSession(SESSION.rewound, run))).to.deep.equal(['user: Name a colour', 'assistant: Blue.', 'user: Name an animal', 'assistant: Otter.'])
    // Later in the same run, the branch is read from what the main session's read loaded.
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    writeFileSync(file, lines.filter((line) => !line.includes('Apple (abandoned branch).')).join('\n') + '\n')
    const lastSaid = (ctx: RecordingContext) => claudeReader.read(branch, ctx).then((session) => transcript(SessionSchema.parse(session)).at(-1), (error: Error) => error.message)
    expect(await lastSaid(run)).to.equal('assistant: Apple (abandoned branch).')
    expect(await lastSaid(claudeContext(config, {options: {allBranches: true}})), 'a new run reads the file again').to.not.equal('assistant: Apple (abandoned branch).')
  })

  it('finds the branch a rewind left in an interactive Claude Code 2.1.332 session, which ends its turns with a record of their time', async function () {
    // Written by the real Claude Code in a terminal: two prompts, a rewind to before the second (Esc Esc, "Restore conversation"), another prompt.
    const config = path.join(REPO, 'test/fixtures/claude/interactive')
    const id = 'e3e68a0c-7d8c-495f-9f2d-07e807e4e94e'
    const ctx = claudeContext(config, {options: {allBranches: true}})
    const refs = (await discoverAll(ctx)).filter((ref) => ref.id.startsWith(id))
    expect(refs.map((ref) => ref.id)).to.deep.equal([id, `${id}.branch-f42f8d22`])
    const main = await readSession(id, ctx)
    expect(transcript(main)).to.deep.equal(['user: [[conformance:other]] A short session on another branch.', 'assistant: The session on the other branch is done.', 'user: [[conformance:fork]] Take another direction from here.', 'assistant: The forked session answers differently.'])
    expect(main.extra.abandonedBranches).to.equal(1)
    const branch = await readSession(refs[1].id, ctx)
    expect(transcript(branch)).to.deep.equal([
      'user: [[conformance:other]] A short session on another branch.',
      'assistant: The session on the other branch is done.',
      'user: [[conformance:continue]] Continue: which branch are we on?',
      'assistant: I will work through the steps one tool at a time.',
      'assistant: The continued session is done.',
    ])
    expect(branch).to.include({copiedMessages: 2, forkedFrom: id})
    expect(blocksOf(branch, 'tool_result').map((result) => result.output)).to.deep.equal(['conformance-continued-ok\nfeature/conformance'])
  })

  it("keeps in its place what Claude Code 2.1.332's rewind menu summarised or kept (\"Summarize up to here\", \"Summarize from here\"), as history before the compaction, not as a branch left", async function () {
    // Written by the real Claude Code in a terminal: two prompts, the rewind menu on the second, one of its summaries, another prompt.
    const ctx = claudeContext(path.join(REPO, 'test/fixtures/claude/interactive'), {options: {allBranches: true}})
    const refs = await discoverAll(ctx)
    for (const id of ['c3560d7c-0e95-4f8b-a3a1-7452f1c752d2', '008b9263-e763-4823-a0a3-62f322622c85']) {
      expect(refs.filter((ref) => ref.id.startsWith(id)).map((ref) => ref.id), 'no branch').to.deep.equal([id])
      const session = await readSession(id, ctx)
      expect(transcript(session)).to.deep.equal([
        'user: [[conformance:other]] A short session on another branch.',
        'assistant: The session on the other branch is done.',
        'user: [[conformance:continue]] Continue: which branch are we on?',
        'assistant: I will work through the steps one tool at a time.',
        'assistant: The continued session is done.',
        'compaction',
        'compaction_summary',
        'user: [[conformance:fork]] Take another direction from here.',
        'assistant: The forked session answers differently.',
      ])
      expect(session.extra.abandonedBranches, id).to.equal(undefined)
    }
  })

  it('turns a pasted image and a mentioned file, with the content the model was given, into attachments, and follows the branch change', async function () {
    const session = await readSession(SESSION.image)
    const attachments = blocksOf(session, 'attachment')
    expect(attachments.map(({kind, mimeType, name, path: where}) => ({kind, mimeType, name, where}))).to.deep.equal([
      {kind: 'image', mimeType: 'image/png', name: null, where: null},
      {kind: 'file', mimeType: 'text/plain', name: 'form.tsx', where: null},
    ])
    expect(attachments[0].data).to.match(/^iVBORw0KGgo/)
    expect(Buffer.from(attachments[1].data!, 'base64').toString('utf8')).to.equal('export const Form = () => null')
    expect(session.gitBranch).to.deep.equal({first: 'main', last: 'fix/submit-button', readAtExport: false, seen: ['main', 'fix/submit-button']})
  })

  it('names a corrupt line and goes on; a last line still being written is left for the next run', async function () {
    const ctx = claudeContext()
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.'])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.include(`${SESSION.otherWorkspace}.jsonl:2`).and.include('not valid JSON')
  })

  it('names a record of the wrong shape and keeps the rest of the session', async function () {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-shape')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    const file = path.join(folder, readdirSync(folder)[0])
    const [first, second] = readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"parentUuid')).slice(0, 2).map((line) => JSON.parse(line))
    const wrong = {...second, message: {content: 42, role: 'assistant'}, uuid: 'wrong-shape'}
    writeFileSync(file, [first, wrong, second].map((record) => JSON.stringify(record)).join('\n') + '\n')
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.'])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(/jsonl:2: assistant record of an unexpected shape \(message\.content/)
  })

  /** The other project's session rewritten: its two records, then `more` built from the second. */
  function otherSessionWith(more: (first: Record<string, unknown>, second: Record<string, unknown>) => Array<Record<string, unknown>>): string {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-other')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    const file = path.join(folder, readdirSync(folder)[0])
    const [first, second] = readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"parentUuid')).slice(0, 2).map((line) => JSON.parse(line))
    writeFileSync(file, [first, second, ...more(first, second)].map((record) => JSON.stringify(record)).join('\n') + '\n')
    return config
  }

  it('keeps the turns before and after a record of the wrong shape in the middle of the thread', async function () {
    const config = otherSessionWith((first, second) => [
      {...second, content: 'Stop hook ran', message: undefined, parentUuid: second.uuid, sessionId: null, subtype: 'stop_hook_summary', timestamp: '2026-03-02T09:01:00.000Z', type: 'system', uuid: 'bad-system'},
      {...first, message: {content: 'And now?', role: 'user'}, parentUuid: 'bad-system', timestamp: '2026-03-02T09:02:00.000Z', uuid: 'after-user'},
      {...second, message: {...(second.message as object), content: [{text: 'Now this.', type: 'text'}], id: 'msg_after'}, parentUuid: 'after-user', timestamp: '2026-03-02T09:02:05.000Z', uuid: 'after-assistant'},
    ])
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.', 'user: And now?', 'assistant: Now this.'])
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(/jsonl:3: system record of an unexpected shape \(sessionId: .*\), its content left out/)
  })

  it('passes over bookkeeping records unread, and reads every other record, whatever the order of its fields', async function () {
    const config = otherSessionWith((_first, second) => [
      {type: 'api-request-shape', sessionId: second.sessionId, shape: {tools: ['Bash']}},
      {type: 'assistant', ...second, message: {...(second.message as object), content: [{text: 'Written type first.', type: 'text'}], id: 'msg_type_first'}, parentUuid: second.uuid, timestamp: '2026-03-02T09:02:00.000Z', uuid: 'type-first'},
      {type: 'hologram-log', sessionId: second.sessionId},
    ])
    const file = path.join(config, 'projects', '-home-dev-other', readdirSync(path.join(config, 'projects', '-home-dev-other'))[0])
    // A request log cut short is bookkeeping too: no warning about it.
    writeFileSync(file, readFileSync(file, 'utf8') + '{"type":"api-request","sessionId":"x","params":{"cut\n')
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.', 'assistant: Written type first.'])
    expect(ctx.warnings).to.deep.equal([])
    expect(ctx.debugs.join('\n')).to.include('record type "hologram-log" is not known').and.not.to.include('api-request')
  })

  it('names a field a record lacks as missing, in the warning about its shape', async function () {
    const config = otherSessionWith((_first, second) => [{...second, timestamp: '2026-03-02T09:02:00.000Z', uuid: undefined}])
    const ctx = claudeContext(config)
    await readSession(SESSION.otherWorkspace, ctx)
    expect(ctx.warnings).to.deep.equal([`${ctx.warnings[0].split(':3: ')[0]}:3: assistant record of an unexpected shape (uuid: missing), its content left out`])
  })

  it('names a system record\'s unknown subtype under --verbose, and says when it has none', async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, content: 'x', message: undefined, parentUuid: second.uuid, subtype: 'hologram_status', timestamp: '2026-03-02T09:01:00.000Z', type: 'system', uuid: 'hologram'},
      {...second, content: 'y', message: undefined, parentUuid: 'hologram', timestamp: '2026-03-02T09:01:01.000Z', type: 'system', uuid: 'no-subtype'},
    ])
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.'])
    expect(ctx.debugs.filter((line) => line.startsWith('system record'))).to.deep.equal(['system record of subtype "hologram_status" left out', 'system record without a subtype left out'])
  })

  it('keeps the conversation when the last record\'s parent is not in the file (the timing a prompt-suggestion agent writes)', async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, content: 'Turn took 2s', message: undefined, parentUuid: 'not-in-this-file', subtype: 'turn_duration', timestamp: '2026-03-02T09:05:00.000Z', type: 'system', uuid: 'dangling'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.'])
  })

  it('continues a record whose parent is not a record of the conversation (saved_hook_context) from the record before it, and says so under --verbose', async function () {
    const config = otherSessionWith((first, second) => [
      {parentUuid: second.uuid, sessionId: SESSION.otherWorkspace, timestamp: '2026-03-02T09:01:00.000Z', type: 'saved_hook_context', uuid: 'hook-context'},
      {...first, message: {content: 'And now?', role: 'user'}, parentUuid: 'hook-context', timestamp: '2026-03-02T09:02:00.000Z', uuid: 'after-user'},
      {...second, message: {...(second.message as object), content: [{text: 'Now this.', type: 'text'}], id: 'msg_after'}, parentUuid: 'after-user', timestamp: '2026-03-02T09:02:05.000Z', uuid: 'after-assistant'},
    ])
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.', 'user: And now?', 'assistant: Now this.'])
    expect(ctx.debugs.filter((line) => line.includes('saved_hook_context')), 'a known record type').to.deep.equal([])
    expect(ctx.debugs.filter((line) => line.includes('1 record(s) whose parent is not in the file continue from the record before them'))).to.have.length(1)
  })

  it('shows where a session under /remote-control could be continued, and knows the bookkeeping of newer versions', async function () {
    const config = otherSessionWith((_first, second) => [
      {bridgeSessionId: 'cse_01Km6RjZAsRkdds5SgBMx2mN', lastSequenceNum: 0, sessionId: SESSION.otherWorkspace, type: 'bridge-session'},
      {...second, content: null, isMeta: true, message: undefined, parentUuid: second.uuid, subtype: 'session_start', timestamp: '2026-03-02T09:01:00.000Z', type: 'system', uuid: 'started'},
      {...second, content: '/remote-control is active · Continue here, on your phone, or at https://claude.ai/code/session_01Km6', isMeta: false, message: undefined, parentUuid: 'started', subtype: 'bridge_status', timestamp: '2026-03-02T09:01:01.000Z', type: 'system', url: 'https://claude.ai/code/session_01Km6', uuid: 'bridge'},
      {backup: {backupFileName: '5f2a70e72a157a7b@v1', backupTime: '2026-03-02T09:01:02.000Z', version: 1}, messageId: 'bridge', snapshotMessageId: 'started', timestamp: '2026-03-02T09:01:02.000Z', trackingPath: 'src/a.ts', type: 'file-history-delta'},
    ])
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(blocksOf(session, 'event').map(({kind, text}) => ({kind, text}))).to.deep.equal([{kind: 'remote_control', text: '/remote-control is active · Continue here, on your phone, or at https://claude.ai/code/session_01Km6'}])
    expect(ctx.debugs.filter((line) => /bridge-session|file-history-delta|session_start/.test(line)), 'known records').to.deep.equal([])
  })

  it('takes a meta record for a command\'s expansion only under a slash command, not under a prompt that starts with a path', async function () {
    const config = otherSessionWith((first, second) => [
      {...first, message: {content: '/etc/hosts has a wrong entry, fix it', role: 'user'}, parentUuid: second.uuid, timestamp: '2026-03-02T09:02:00.000Z', uuid: 'path-prompt'},
      {...first, isMeta: true, message: {content: 'Base directory for this skill: /home/dev/.claude/skills/hosts', role: 'user'}, parentUuid: 'path-prompt', timestamp: '2026-03-02T09:02:01.000Z', uuid: 'skill-body'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(transcript(session)).to.include('user: /etc/hosts has a wrong entry, fix it')
    expect(blocksOf(session, 'event').filter((event) => event.kind === 'command_prompt')).to.deep.equal([])
  })

  it('shows each retry of a failed request, with the error as Claude Code stored it', async function () {
    const retry = (uuid: string, parentUuid: string, attempt: number, error: unknown) => ({cwd: '/home/dev/other', error, level: 'error', maxRetries: 10, parentUuid, retryAttempt: attempt, retryInMs: 2000, sessionId: SESSION.otherWorkspace, source: 'repl_main_thread', subtype: 'api_error', timestamp: '2026-03-02T09:01:00.000Z', type: 'system', uuid})
    const config = otherSessionWith((_first, second) => [
      retry('retry-1', String(second.uuid), 1, {error: {error: {message: 'Overloaded', type: 'overloaded_error'}, type: 'error'}, status: 529}),
      retry('retry-2', 'retry-1', 2, {cause: {code: 'ECONNRESET'}}),
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(blocksOf(session, 'event').map(({kind, text}) => ({kind, text}))).to.deep.equal([
      {kind: 'retry', text: 'Retry 1 of 10: 529 Overloaded'},
      {kind: 'retry', text: 'Retry 2 of 10: the request failed'},
    ])
  })

  /** The other project's session with its first prompt's content replaced, and records put before it. */
  function otherSessionStartingWith(content: unknown, before: (first: Record<string, unknown>) => Array<Record<string, unknown>> = () => []): string {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-other')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    const file = path.join(folder, readdirSync(folder)[0])
    const [first, ...rest] = readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"parentUuid')).slice(0, 2).map((line) => JSON.parse(line))
    const earlier = before(first)
    const prompt = {...first, message: {content, role: 'user'}, parentUuid: earlier.at(-1)?.uuid ?? null}
    writeFileSync(file, [...earlier, prompt, ...rest].map((record) => JSON.stringify(record)).join('\n') + '\n')
    return config
  }

  it("names the file an IDE said was open or selected (2.0.x tags) as a file, not as the person's words", async function () {
    const selection = '<ide_selection>The user selected the lines 62 to 71 from /home/dev/other/e2e/fixtures.ts:\n  const a = 1\n\nThis may or may not be related to the current task.</ide_selection>'
    const opened = '<ide_opened_file>The user opened the file /home/dev/other/docs/plan.md in the IDE. This may or may not be related to the current task.</ide_opened_file>'
    const ctx = claudeContext(otherSessionStartingWith([{text: opened, type: 'text'}, {text: selection, type: 'text'}, {text: 'Why does this fail?', type: 'text'}]))
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(session.title).to.equal('Why does this fail?')
    expect((await discoverAll(ctx)).find((ref) => ref.id === SESSION.otherWorkspace)!.title).to.equal('Why does this fail?')
    expect(session.messages[0].blocks).to.deep.equal([
      {data: null, kind: 'file', mimeType: null, name: 'plan.md', path: '/home/dev/other/docs/plan.md', type: 'attachment'},
      {data: null, kind: 'file', mimeType: null, name: 'fixtures.ts:62-71', path: '/home/dev/other/e2e/fixtures.ts', type: 'attachment'},
      {text: 'Why does this fail?', type: 'text'},
    ])
  })

  it('titles a session begun with /clear by the first prompt after it, and one begun with an answered command by the command', async function () {
    const clear = (first: Record<string, unknown>) => [
      {...first, message: {content: '<command-name>/clear</command-name>\n<command-message>clear</command-message>\n<command-args></command-args>', role: 'user'}, parentUuid: null, uuid: 'clear-command'},
      {...first, message: {content: '<local-command-stdout>(no content)</local-command-stdout>', role: 'user'}, parentUuid: 'clear-command', uuid: 'clear-output'},
    ]
    const clearedCtx = claudeContext(otherSessionStartingWith('Hello from the other project', clear))
    const cleared = await readSession(SESSION.otherWorkspace, clearedCtx)
    expect(cleared.title).to.equal('Hello from the other project')
    expect(transcript(cleared)[0]).to.equal('user: /clear')
    expect(blocksOf(cleared, 'event'), 'no empty output').to.deep.equal([])
    const initCtx = claudeContext(otherSessionStartingWith('<command-name>/init</command-name>\n<command-message>init</command-message>\n<command-args></command-args>'))
    expect((await readSession(SESSION.otherWorkspace, initCtx)).title).to.equal('/init')
    // Discovery, which names the export's file, reads only the first records, and agrees.
    expect((await discoverAll(clearedCtx)).find((ref) => ref.id === SESSION.otherWorkspace)!.title).to.equal('Hello from the other project')
    expect((await discoverAll(initCtx)).find((ref) => ref.id === SESSION.otherWorkspace)!.title).to.equal('/init')
  })

  it('titles a session by a command the model answered after an unanswered one, and by a lone unanswered command', async function () {
    const command = (name: string) => `<command-name>/${name}</command-name>\n<command-message>${name}</command-message>\n<command-args></command-args>`
    const clearThenInit = claudeContext(otherSessionStartingWith(command('init'), (first) => [{...first, message: {content: command('clear'), role: 'user'}, parentUuid: null, uuid: 'clear-command'}]))
    expect((await readSession(SESSION.otherWorkspace, clearThenInit)).title).to.equal('/init')
    expect((await discoverAll(clearThenInit)).find((ref) => ref.id === SESSION.otherWorkspace)!.title).to.equal('/init')
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-other')
    mkdirSync(folder, {recursive: true})
    const record = {cwd: '/home/dev/other', isSidechain: false, message: {content: command('clear'), role: 'user'}, parentUuid: null, sessionId: 'c1ea0000-0000-4000-8000-000000000001', timestamp: '2026-03-02T09:00:00.000Z', type: 'user', userType: 'external', uuid: 'clear-command', version: '2.1.39'}
    writeFileSync(path.join(folder, `${record.sessionId}.jsonl`), JSON.stringify(record) + '\n')
    const alone = claudeContext(config)
    expect((await discoverAll(alone))[0].title).to.equal('/clear')
    expect((await readSession(record.sessionId, alone)).title).to.equal('/clear')
  })

  it('titles the session a plan is carried out in by the plan, not by the line that leads in to it', async function () {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-other')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    const file = path.join(folder, readdirSync(folder)[0])
    const plan = 'Implement the following plan:\n\n# Retry uploads that time out\n\n## Steps\n1. Wrap the upload in a retry.'
    writeFileSync(file, readFileSync(file, 'utf8').replace('"content":"Hello from the other project"', `"content":${JSON.stringify(plan)}`))
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(session.title).to.equal('Implement the following plan: Retry uploads that time out')
    expect((await discoverAll(claudeContext(config))).find((ref) => ref.id === SESSION.otherWorkspace)!.title).to.equal('Implement the following plan: Retry uploads that time out')
  })

  it('shows which hook stopped the agent, and its message', async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, attachment: {blockingError: {blockingError: 'Commit first, then stop.', command: 'check-commit.sh'}, hookEvent: 'Stop', hookName: 'Stop', type: 'hook_blocking_error'}, message: undefined, parentUuid: second.uuid, timestamp: '2026-03-02T09:01:00.000Z', type: 'attachment', uuid: 'hook-stop'},
      {...second, attachment: {content: '[lint.sh]: style violation', hookEvent: 'PostToolUse', hookName: 'PostToolUse:Bash', type: 'hook_blocking_error'}, message: undefined, parentUuid: 'hook-stop', timestamp: '2026-03-02T09:01:01.000Z', type: 'attachment', uuid: 'hook-lint'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(blocksOf(session, 'event').map((block) => block.text)).to.deep.equal(['Stop hook (check-commit.sh): Commit first, then stop.', 'PostToolUse:Bash hook: [lint.sh]: style violation'])
  })

  it("shows what a hook told the person, and nothing of hooks that only succeeded", async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, attachment: {content: '\n\nEntire CLI will link this conversation to your next commit.', hookEvent: 'SessionStart', hookName: 'SessionStart:startup', toolUseID: 'hook-1', type: 'hook_system_message'}, message: undefined, parentUuid: second.uuid, timestamp: '2026-03-02T09:01:00.000Z', type: 'attachment', uuid: 'hook-said'},
      {...second, attachment: {content: '', exitCode: 0, hookEvent: 'Stop', hookName: 'Stop', toolUseID: 'hook-2', type: 'hook_success'}, message: undefined, parentUuid: 'hook-said', timestamp: '2026-03-02T09:01:01.000Z', type: 'attachment', uuid: 'hook-ok'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(blocksOf(session, 'event').map(({kind, text}) => ({kind, text}))).to.deep.equal([{kind: 'hook_message', text: 'SessionStart:startup hook: Entire CLI will link this conversation to your next commit.'}])
  })

  it('shows prompts queued while the agent worked: text, a pasted image, a `!` command, a background task\'s notice', async function () {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const queued = (uuid: string, parentUuid: string, attachment: Record<string, unknown>) => ({cwd: '/home/dev/other', isSidechain: false, parentUuid, sessionId: SESSION.otherWorkspace, timestamp: '2026-03-02T09:01:00.000Z', type: 'attachment', uuid, attachment: {type: 'queued_command', ...attachment}})
    const config = otherSessionWith((_first, second) => [
      queued('q1', second.uuid as string, {commandMode: 'prompt', prompt: [{text: 'Like this one', type: 'text'}, {source: {data: png, media_type: 'image/png', type: 'base64'}, type: 'image'}]}),
      queued('q2', 'q1', {commandMode: 'bash', prompt: 'git status'}),
      queued('q3', 'q2', {isMeta: true, prompt: '<task-notification>\n<task-id>b1</task-id>\n<status>completed</status>\n<summary>Background command "npm test" completed (exit code 0)</summary>\n</task-notification>'}),
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(transcript(session).slice(2)).to.deep.equal(['user: Like this one', 'user: ! git status', 'task_notification'])
    expect(blocksOf(session, 'attachment').map((block) => ({data: block.data, kind: block.kind}))).to.deep.equal([{data: png, kind: 'image'}])
    expect(blocksOf(session, 'event').map(({kind, text}) => ({kind, text}))).to.deep.equal([{kind: 'task_notification', text: 'Background command "npm test" completed (exit code 0)'}])
  })

  it('shows a message that reached the session from elsewhere (a channel), and still hides what the harness wrote', async function () {
    const config = otherSessionWith((first, second) => [
      {...first, isMeta: true, message: {content: 'Base directory for this skill: /home/dev/.claude/skills/x', role: 'user'}, parentUuid: second.uuid, uuid: 'meta-skill'},
      {...first, isMeta: true, message: {content: 'The staging deploy is green.', role: 'user'}, origin: {kind: 'channel', source: 'deploys'}, parentUuid: 'meta-skill', uuid: 'from-channel'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(transcript(session)).to.deep.equal(['user: Hello from the other project', 'assistant: Hello.', 'user: The staging deploy is green.'])
  })

  it('belongs to the folder a fork was made for (a relocated record), as Claude Code lists it', async function () {
    const config = otherSessionWith(() => [{relocatedCwd: '/home/dev/elsewhere', sessionId: SESSION.otherWorkspace, type: 'relocated'}])
    const ref = (await discoverAll(claudeContext(config))).find((found) => found.id === SESSION.otherWorkspace)!
    expect(ref.workspace).to.equal('/home/dev/elsewhere')
    expect((await readSession(SESSION.otherWorkspace, claudeContext(config))).workspace).to.equal('/home/dev/elsewhere')
  })

  it('pairs the tools the API ran itself with their results, without the encrypted copies', async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, message: {...(second.message as object), content: [
        {id: 'srvtoolu_1', input: {query: 'vitest fake timers'}, name: 'web_search', type: 'server_tool_use'},
        {content: [{encrypted_content: 'EqgfCioIARgBIiQ3YTAw', page_age: null, title: 'Fake Timers | Vitest', type: 'web_search_result', url: 'https://vitest.dev/guide/mocking/timers'}], tool_use_id: 'srvtoolu_1', type: 'web_search_tool_result'},
        {id: 'srvtoolu_2', input: {url: 'https://example.invalid'}, name: 'web_fetch', type: 'server_tool_use'},
        {content: {error_code: 'url_not_accessible', type: 'web_fetch_tool_error'}, tool_use_id: 'srvtoolu_2', type: 'web_fetch_tool_result'},
        {id: 'mcptoolu_1', input: {state: 'open'}, name: 'list_issues', server_name: 'github', type: 'mcp_tool_use'},
        {content: [{text: '3 open issues', type: 'text'}], is_error: false, tool_use_id: 'mcptoolu_1', type: 'mcp_tool_result'},
      ], id: 'msg_server_tools'}, parentUuid: second.uuid, timestamp: '2026-03-02T09:01:00.000Z', uuid: 'server-tools'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(callOutcomes(session)).to.deep.equal([['web_search', false], ['web_fetch', true], ['mcp__github__list_issues', false]])
    const outputs = blocksOf(session, 'tool_result').map((result) => result.output)
    expect(outputs[0]).to.include('https://vitest.dev/guide/mocking/timers').and.not.include('EqgfCioIARgBIiQ3YTAw')
    expect(outputs.slice(1)).to.deep.equal(['url_not_accessible', '3 open issues'])
  })

  it('gives each API response its usage once, on its message, from records that repeat it block by block (2.1.3xx), its thinking taken out of its output', async function () {
    const usage = {cache_creation: {ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 310}, cache_creation_input_tokens: 310, cache_read_input_tokens: 15_200, inference_geo: '', input_tokens: 6, iterations: [], output_tokens: 452, output_tokens_details: {thinking_tokens: 276}, server_tool_use: {web_fetch_requests: 0, web_search_requests: 0}, service_tier: 'standard', speed: 'standard'}
    const record = (second: Record<string, unknown>, uuid: string, parentUuid: string, content: unknown[]) =>
      ({...second, message: {...(second.message as object), content, id: 'msg_think', stop_reason: 'tool_use', usage}, parentUuid, requestId: 'req_think', timestamp: '2026-03-02T09:01:00.000Z', uuid, version: '2.1.332'})
    const config = otherSessionWith((first, second) => [
      {...first, message: {content: 'Read the notes.', role: 'user'}, parentUuid: second.uuid, timestamp: '2026-03-02T09:00:59.000Z', uuid: 'asked'},
      record(second, 'think-1', 'asked', [{signature: 'c2ln', thinking: 'The notes are in NOTES.md.', type: 'thinking'}]),
      record(second, 'think-2', 'think-1', [{text: 'Reading them.', type: 'text'}]),
      record(second, 'think-3', 'think-2', [{id: 'toolu_notes', input: {file_path: '/home/dev/other/NOTES.md'}, name: 'Read', type: 'tool_use'}]),
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    const reply = session.messages.find((message) => message.id === 'msg_think')!
    expect(reply.blocks.map((block) => block.type)).to.deep.equal(['thinking', 'text', 'tool_call'])
    expect(reply.usage).to.deep.equal({cacheReadTokens: 15_200, cacheWriteTokens: 310, costUsd: null, inputTokens: 6, outputTokens: 452 - 276, reasoningTokens: 276})
    expect(session.messages.filter((message) => message.role === 'user').map((message) => message.usage)).to.deep.equal([null, null])
    expect(session.usage).to.deep.include({inputTokens: 900 + 6, outputTokens: 40 + 176, reasoningTokens: 276})
  })

  it('reads a response whose output details are of a shape it does not know, without thinking tokens', async function () {
    const config = otherSessionWith((_first, second) => [
      {...second, message: {...(second.message as object), content: [{text: 'Done.', type: 'text'}], id: 'msg_odd', usage: {input_tokens: 12, output_tokens: 7, output_tokens_details: 'n/a'}}, parentUuid: second.uuid, timestamp: '2026-03-02T09:01:00.000Z', uuid: 'odd'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(session.messages.at(-1)).to.deep.include({id: 'msg_odd', usage: {cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null, inputTokens: 12, outputTokens: 7, reasoningTokens: 0}})
  })

  it('marks a reply cut at the output token limit once, at its end, whichever of its records says so', async function () {
    const record = (second: Record<string, unknown>, uuid: string, parentUuid: string, content: unknown[], stop: string | null) =>
      ({...second, message: {...(second.message as object), content, id: 'msg_long', stop_reason: stop}, parentUuid, timestamp: '2026-03-02T09:01:00.000Z', uuid})
    const config = otherSessionWith((_first, second) => [
      record(second, 'long-1', second.uuid as string, [{thinking: 'Plan the essay.', type: 'thinking'}], 'max_tokens'),
      record(second, 'long-2', 'long-1', [{text: 'The essay begins and then', type: 'text'}], 'max_tokens'),
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(session.messages.at(-1)!.blocks.map((block) => (block.type === 'event' ? block.kind : block.type))).to.deep.equal(['thinking', 'text', 'output_limit'])
  })

  it('names the lines the person had selected in their IDE beside their prompt', async function () {
    const config = otherSessionWith((first, second) => [
      {...first, message: {content: 'Why does this fail?', role: 'user'}, parentUuid: second.uuid, timestamp: '2026-03-02T09:01:00.000Z', uuid: 'asked'},
      {...first, attachment: {content: 'expect(upload()).toBe(true)', filename: '/home/dev/other/test/upload.test.ts', lineEnd: 14, lineStart: 12, type: 'selected_lines_in_ide'}, message: undefined, parentUuid: 'asked', timestamp: '2026-03-02T09:01:00.100Z', type: 'attachment', uuid: 'selection'},
    ])
    const session = await readSession(SESSION.otherWorkspace, claudeContext(config))
    expect(session.messages.at(-1)!.blocks).to.deep.equal([
      {text: 'Why does this fail?', type: 'text'},
      {data: null, kind: 'file', mimeType: null, name: 'upload.test.ts:12-14', path: '/home/dev/other/test/upload.test.ts', type: 'attachment'},
    ])
  })

  it('stops at a loop in the parent links with a warning instead of hanging', async function () {
    const config = tempDir()
    const folder = path.join(config, 'projects', '-home-dev-loop')
    cpSync(path.join(FIXTURE, 'projects', '-home-dev-other'), folder, {recursive: true})
    const file = path.join(folder, readdirSync(folder)[0])
    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.startsWith('{"parentUuid'))
    const [first, second] = lines.slice(0, 2).map((line) => JSON.parse(line))
    first.parentUuid = second.uuid
    writeFileSync(file, `${JSON.stringify(first)}\n${JSON.stringify(second)}\n`)
    const ctx = claudeContext(config)
    const session = await readSession(SESSION.otherWorkspace, ctx)
    expect(session.messages).to.have.length(2)
    expect(ctx.warnings.join('\n')).to.include('loop')
  })

  describe('sessions written by Claude Code 2.1.332', function () {
    const real = () => claudeContext(REAL_SAMPLES)
    const MAIN = 'f6ca3445-9328-436a-810d-33c2929c3720'
    const FORK = 'c06e2eae-acb8-410d-9cf2-37850be43721'

    it('pairs every tool call with its result and error flag', async function () {
      const session = await readSession(MAIN, real())
      expect(callOutcomes(session)).to.deep.equal([
        ['Bash', false],
        ['Read', false],
        ['Read', true],
        ['Read', false],
        ['Write', false],
        ['Bash', true],
        ['Agent', false],
        ['Bash', false],
      ])
      expect(blocksOf(session, 'attachment').map((attachment) => attachment.mimeType)).to.deep.equal(['image/png'])
      expect(session.title).to.equal('[[conformance:main]] Exercise every tool once, then summarise.')
      expect(session.gitBranch.seen).to.deep.equal(['feature/conformance'])
      expect(session.usage?.costUsd).to.equal(0.00972)
    })

    it('gives each API response its usage once, though Claude Code wrote a record per block; the session total is their sum but for the cost, which is its process\'s', async function () {
      const session = await readSession(MAIN, real())
      const replies = session.messages.filter((message) => message.role === 'assistant')
      expect(replies.map((message) => message.usage)).to.deep.equal(replies.map(() => ({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: null, inputTokens: 120, outputTokens: 30, reasoningTokens: 0})))
      expect(session.messages.filter((message) => message.role !== 'assistant').every((message) => message.usage === null)).to.equal(true)
      expect(session.usage).to.deep.equal({cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.00972, inputTokens: 120 * replies.length, outputTokens: 30 * replies.length, reasoningTokens: 0})
    })

    it("gives each call how it ended: the failed command's exit code, the subagent's time", async function () {
      // Claude Code records an exit code only in a failed command's first line, and times only some tools.
      expect(callEnds(await readSession(MAIN, real()))).to.deep.equal([
        ['Bash', 'ok', null, null],
        ['Read', 'ok', null, null],
        ['Read', 'error', null, null],
        ['Read', 'ok', null, null],
        ['Write', 'ok', null, null],
        ['Bash', 'error', 2, null],
        ['Agent', 'ok', null, 114],
        ['Bash', 'ok', null, null],
      ])
    })

    it('keeps nothing of the harness context: environment, skills, reminders, request logs', async function () {
      const session = await readSession(MAIN, real())
      const text = JSON.stringify(session.messages)
      for (const harness of ['system-reminder', 'skill_listing', 'total_tokens', 'You are an agent for Claude Code']) expect(text).to.not.include(harness)
      expect(session.messages.filter((message) => message.role === 'user')).to.have.length(2)
    })

    it("shows a subagent's report without the hand-back frame, and links the subagent", async function () {
      const session = await readSession(MAIN, real())
      const spawn = blocksOf(session, 'tool_call').find((call) => call.name === 'Agent')!
      const report = blocksOf(session, 'tool_result').find((result) => result.callId === spawn.id)!
      expect(report.output.startsWith('The subagent finished its check.')).to.equal(true)
      expect(spawn.subagentId).to.equal('agent-ab1a7a0de078ce07b')
      const subagent = await readSession('agent-ab1a7a0de078ce07b', real())
      expect(subagent.parentToolCallId).to.equal(spawn.id)
    })

    it('lists the file the session wrote, and none for the subagent that only ran a command', async function () {
      expect((await readSession(MAIN, real())).filesChanged).to.deep.equal(['/tmp/conformance/claude/workspace/notes/written-by-agent.txt'])
      expect((await readSession('agent-ab1a7a0de078ce07b', real())).filesChanged).to.deep.equal([])
    })

    it('knows a fork, and where its own messages start, by the session its copied requests came from', async function () {
      const fork = await readSession(FORK, real())
      const main = await readSession(MAIN, real())
      expect(fork.forkedFrom).to.equal(MAIN)
      expect(main).to.include({copiedMessages: null, forkedFrom: null})
      // The copies end with the main session's last message; the fork's own prompt follows.
      expect(fork.copiedMessages).to.equal(main.messages.length)
      expect(fork.messages.slice(0, fork.copiedMessages!).map((message) => message.id)).to.deep.equal(main.messages.map((message) => message.id))
      expect(blocksOf({...fork, messages: fork.messages.slice(fork.copiedMessages!, fork.copiedMessages! + 1)}, 'text')[0].text).to.include('[[conformance:fork]]')
      // The file its copies wrote was the original's doing.
      expect(fork.filesChanged).to.deep.equal([])
    })

    it('dates a fork by its first message of its own, not by the copied start of its original', async function () {
      const fork = await readSession(FORK, real())
      const main = await readSession(MAIN, real())
      expect(fork.messages[0].timestamp).to.equal(main.createdAt)
      expect(fork.createdAt).to.equal(fork.messages[fork.copiedMessages!].timestamp).and.to.equal('2026-11-30T17:11:44.942Z')
      expect(main.createdAt).to.equal(main.messages[0].timestamp)
    })
  })
})
