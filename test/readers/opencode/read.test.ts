import {expect} from 'chai'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {BRANCH, IDS, insertSession, type OpenCodeHome, opencodeHome, PIXEL_PNG, readSession} from './opencode-home.js'
import {blocksOf} from '../../helpers/session.js'

describe('OpenCode reader: reading a session', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome({corruptPart: true})
  })
  afterEach(() => home.writer.close())

  it('reads the messages in order, the prompt without the quotes `opencode run` stores around it', async () => {
    const session = await readSession(home, IDS.main)
    expect(session.messages.map((message) => message.role)).to.deep.equal([
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'user',
      'system',
    ])
    expect(session.messages[0].blocks[0]).to.deep.equal({text: 'Fix the flaky upload test', type: 'text'})
    expect(session.messages[1]).to.include({model: 'anthropic/claude-sonnet-4-5', timestamp: '2026-11-25T05:49:44.000Z'})
    // The tools' results are in when the message that called them completed.
    expect(session.messages[2]).to.include({role: 'tool', timestamp: '2026-11-25T05:49:44.900Z'})
    expect(session.messages[1].blocks.map((block) => block.type)).to.deep.equal(['thinking', 'text', 'tool_call'])
    expect(blocksOf(session, 'thinking')).to.deep.equal([{redacted: false, text: 'The test depends on timing.', type: 'thinking'}])
  })

  it('orders a message\'s parts by their ids, not by where their rows are stored', async () => {
    const [, firstReply] = home.writer.prepare('SELECT id FROM message WHERE session_id = ? ORDER BY time_created, id').all(IDS.main) as Array<{id: string}>
    const partOf = (type: string) => (home.writer.prepare(`SELECT id FROM part WHERE message_id = ? AND json_extract(data, '$.type') = ?`).get(firstReply.id, type) as {id: string}).id
    const [thinking, text] = [partOf('reasoning'), partOf('text')]
    // Each row keeps its place in the table and takes the other's id: the text is now first by id.
    const rename = home.writer.prepare('UPDATE part SET id = ? WHERE id = ?')
    home.writer.transaction(() => {
      rename.run('swapping', thinking)
      rename.run(thinking, text)
      rename.run(text, 'swapping')
    })()
    const session = await readSession(home, IDS.main)
    expect(session.messages[1].blocks.map((block) => block.type)).to.deep.equal(['text', 'thinking', 'tool_call'])
  })

  it('pairs each tool call with its result: errors, failing commands with their exit code, how long each ran', async () => {
    const session = await readSession(home, IDS.main)
    const results = new Map(blocksOf(session, 'tool_result').map((result) => [result.callId, result]))
    const calls = blocksOf(session, 'tool_call')
    expect(calls.map((call) => call.name)).to.deep.equal(['bash', 'read', 'bash', 'read', 'task'])
    expect(calls.map((call) => results.has(call.id))).to.deep.equal([true, true, true, true, true])
    expect(calls[0].input).to.deep.equal({command: 'npm test -- upload', description: 'Run the upload test'})
    expect(results.get('call_bash_0001')).to.include({exitCode: 0, isError: false, output: 'upload: ok\n', status: 'ok'})
    expect(results.get('call_read_0002')).to.include({exitCode: null, isError: true, output: `File not found: ${home.workspace}/missing.ts`, status: 'error'})
    // The exit code is a field of its own, no longer a line added to what the command printed.
    expect(results.get('call_bash_0003')).to.include({exitCode: 2, isError: true, output: "ls: cannot access '/missing-dir': No such file or directory\n", status: 'error'})
    const durations = calls.map((call) => results.get(call.id)!.durationMs)
    expect(durations.every((duration) => typeof duration === 'number' && duration >= 0)).to.equal(true, 'OpenCode times every call it ran')
  })

  it('turns pasted images and the images a tool read into attachments with their bytes', async () => {
    const session = await readSession(home, IDS.main)
    const pasted = {data: PIXEL_PNG, kind: 'image', mimeType: 'image/png', name: 'screenshot.png', path: null, type: 'attachment'}
    expect(session.messages[0].blocks[1]).to.deep.equal(pasted)
    const toolMessage = session.messages.find((message) => message.role === 'tool' && message.blocks.some((block) => block.type === 'tool_result' && block.callId === 'call_read_0004'))!
    expect(toolMessage.blocks[toolMessage.blocks.length - 1]).to.deep.equal({...pasted, name: null})
  })

  it('links the subagent both ways: the task call names the child, the child its parent and call', async () => {
    const parent = await readSession(home, IDS.main)
    const task = blocksOf(parent, 'tool_call').find((call) => call.name === 'task')!
    expect(task).to.include({id: IDS.taskCall, subagentId: IDS.child})
    const child = await readSession(home, IDS.child)
    expect(child).to.include({parentId: IDS.main, parentToolCallId: IDS.taskCall, title: 'Search for timers (@general subagent)'})
    // A subagent's prompt comes from the task tool, not the command line: nothing to unquote.
    expect(child.messages[0].blocks).to.deep.equal([{text: 'Find setTimeout uses', type: 'text'}])
  })

  it("links each of a parent's subagents to its own call, the parent searched once per run for all of them", async () => {
    const parent = 'ses_deec0a1b2ffeManyChildrenAb1'
    const children = ['ses_deec0a1affeChildNumberOneA', 'ses_deec0a1affeChildNumberTwoA', 'ses_deec0a1affeChildNumberThrA']
    const created = 1_795_600_000_000
    const task = (child: string, index: number) => ({
      callID: `call_task_${index}`,
      state: {input: {description: `Job ${index}`, prompt: `Do job ${index}`}, metadata: {sessionId: child}, output: 'Done.', status: 'completed', time: {end: created + 10, start: created}, title: `Job ${index}`},
      tool: 'task',
      type: 'tool',
    })
    const userInfo = (at: number) => ({agent: 'build', model: {modelID: 'claude-sonnet-4-5', providerID: 'anthropic'}, role: 'user', time: {created: at}})
    const assistantInfo = (at: number) => ({agent: 'build', finish: 'tool-calls', mode: 'build', modelID: 'claude-sonnet-4-5', path: {cwd: home.workspace, root: home.workspace}, providerID: 'anthropic', role: 'assistant', time: {completed: at + 50, created: at}})
    insertSession(home.writer, {created, directory: home.workspace, id: parent, title: 'Three jobs'}, [
      [userInfo(created + 1), [{text: 'Run three jobs', type: 'text'}]],
      // One call per message, and the last message with two: a part's order is no guide.
      [assistantInfo(created + 2), [task(children[0], 1)]],
      [assistantInfo(created + 3), [{text: 'Next, the other two: "task" and "subagent" are only words here.', type: 'text'}, task(children[2], 3), task(children[1], 2)]],
    ])
    for (const [index, child] of children.entries()) {
      insertSession(home.writer, {agent: 'general', created: created + 10 + index, directory: home.workspace, id: child, parentId: parent, title: `Job ${index + 1} (@general subagent)`}, [[userInfo(created + 11 + index), [{text: `Do job ${index + 1}`, type: 'text'}]]])
    }

    const run = home.context()
    expect((await readSession(home, children[0], run)).parentToolCallId).to.equal('call_task_1')
    // Later in the same run, the parent's calls are what its first search found.
    home.writer.prepare('DELETE FROM part WHERE session_id = ?').run(parent)
    expect((await readSession(home, children[1], run)).parentToolCallId).to.equal('call_task_2')
    expect((await readSession(home, children[2], run)).parentToolCallId).to.equal('call_task_3')
    expect((await readSession(home, children[1])).parentToolCallId, 'a new run searches the parent again').to.equal(null)
  })

  it('shows retries, changed files and compactions as events, and leaves step bookkeeping out', async () => {
    const session = await readSession(home, IDS.main)
    expect(blocksOf(session, 'event')).to.deep.equal([
      {kind: 'files-changed', text: `${home.workspace}/upload.ts`, type: 'event'},
      {kind: 'retry', text: 'Retry 1: Overloaded', type: 'event'},
      {kind: 'compaction', text: 'Context compaction (automatic)', type: 'event'},
      {kind: 'compaction_summary', text: 'Summary: the upload test was fixed.', type: 'event'},
    ])
    expect(JSON.stringify(session.messages)).to.not.include('e7250b35a61efd69f64e7db06eaa1b94fabcfb46')
  })

  it('skips a part of an unknown type under --verbose, and a corrupt part with a warning naming the session', async () => {
    const ctx = home.context()
    const session = await readSession(home, IDS.main, ctx)
    expect(ctx.debugs.join('\n')).to.match(/session ses_deec0a1b2ffeMainSessionAb01: part prt_\w+ of unknown type "hologram" skipped/)
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.include(home.database).and.to.include(IDS.main).and.to.include('corrupt')
    expect(blocksOf(session, 'text').map((block) => block.text)).to.include('Done: the test now uses fake timers.')
  })

  it('says a part without a type is skipped, rather than of an unknown type', async () => {
    home.writer.prepare(`UPDATE part SET data = json_remove(data, '$.type') WHERE instr(data, '"hologram"') > 0`).run()
    const ctx = home.context()
    await readSession(home, IDS.main, ctx)
    expect(ctx.debugs.join('\n')).to.match(/session ses_deec0a1b2ffeMainSessionAb01: part prt_\w+ without a type skipped/).and.not.to.include('unknown type')
  })

  it('skips a message of an unknown role, or without one, under --verbose, saying which', async () => {
    const nth = `(SELECT id FROM message WHERE session_id = '${IDS.main}' ORDER BY time_created, id LIMIT 1 OFFSET ?)`
    home.writer.prepare(`UPDATE message SET data = json_set(data, '$.role', 'narrator') WHERE id = ${nth}`).run(1)
    home.writer.prepare(`UPDATE message SET data = json_remove(data, '$.role') WHERE id = ${nth}`).run(2)
    const ctx = home.context()
    await readSession(home, IDS.main, ctx)
    const roles = ctx.debugs.filter((line) => line.includes(' role'))
    expect(roles).to.have.length(2)
    expect(roles[0]).to.match(/session ses_deec0a1b2ffeMainSessionAb01: message msg_\w+ with unknown role "narrator" skipped$/)
    expect(roles[1]).to.match(/session ses_deec0a1b2ffeMainSessionAb01: message msg_\w+ without a role skipped$/)
  })

  it('sums tokens and cost over the assistant messages, and names the models used', async () => {
    const session = await readSession(home, IDS.main)
    expect(session.models).to.deep.equal(['anthropic/claude-sonnet-4-5'])
    expect(session.usage).to.deep.include({cacheReadTokens: 10_000, cacheWriteTokens: 500, inputTokens: 6000, outputTokens: 1500, reasoningTokens: 200})
    expect(session.usage!.costUsd).to.be.closeTo(0.0625, 1e-9)
  })

  it('gives each assistant message its own tokens and cost (a compaction\'s summary too), tool results and the user\'s messages none', async () => {
    const session = await readSession(home, IDS.main)
    const calls = session.messages.filter((message) => message.usage !== null)
    expect(calls.map((message) => message.role)).to.deep.equal(['assistant', 'assistant', 'assistant', 'assistant', 'system'])
    for (const call of calls) expect(call.usage).to.deep.equal({cacheReadTokens: 2000, cacheWriteTokens: 100, costUsd: 0.0125, inputTokens: 1200, outputTokens: 300, reasoningTokens: 40})
    expect(session.messages.filter((message) => message.role === 'assistant')).to.have.length(4)
    expect(session.usage).to.deep.equal({cacheReadTokens: 5 * 2000, cacheWriteTokens: 5 * 100, costUsd: 0.0625, inputTokens: 5 * 1200, outputTokens: 5 * 300, reasoningTokens: 5 * 40})
  })

  it('takes title, folder, times, version and the branch the folder is on now', async () => {
    const session = await readSession(home, IDS.main)
    expect(session).to.include({agent: 'opencode', forkedFrom: null, parentId: null, parentToolCallId: null, schemaVersion: 1, summary: null, workspace: home.workspace})
    expect(session.createdAt).to.equal('2026-11-25T05:49:43.000Z')
    expect(session.updatedAt).to.equal('2026-11-25T05:49:53.000Z')
    expect(session.source).to.deep.equal({agentVersion: '1.18.33', path: home.database})
    expect(session.gitBranch).to.deep.equal({first: BRANCH, last: BRANCH, readAtExport: true, seen: [BRANCH]})
    expect(session.extra).to.deep.equal({agent: 'build', projectId: '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7', slug: 'eager-tiger'})
  })

  it('reads a fork as a session of its own, numbered, linked to its original by the time of its copies, and keeps where the user undid a session from', async () => {
    home.writer.prepare(`UPDATE session SET revert = '{"messageID":"msg_undone"}' WHERE id = ?`).run(IDS.fork)
    const fork = await readSession(home, IDS.fork)
    expect(fork).to.include({copiedMessages: 1, forkedFrom: IDS.main})
    expect(fork.extra).to.include({fork: 1, revertedFromMessage: 'msg_undone'})
    expect(blocksOf(fork, 'text').map((block) => block.text)).to.deep.equal(['Fix the flaky upload test', 'Try real timers instead', 'Real timers would keep it slow.'])
  })

  it('keeps what the user undid, after a mark, and leaves its file changes out of those the session made', async () => {
    const before = await readSession(home, IDS.main)
    expect(before.filesChanged).to.deep.equal([`${home.workspace}/upload.ts`])
    const [, firstReply] = home.writer.prepare('SELECT id FROM message WHERE session_id = ? ORDER BY time_created, id').all(IDS.main) as Array<{id: string}>
    home.writer.prepare('UPDATE session SET revert = ? WHERE id = ?').run(JSON.stringify({messageID: firstReply.id, snapshot: 'e7250b35'}), IDS.main)
    const undone = await readSession(home, IDS.main)
    expect(undone.messages[1]).to.deep.equal({
      blocks: [{kind: 'undo', text: 'The user undid the session from here on: OpenCode no longer shows what follows, has rolled back its file changes, and drops it at the next prompt.', type: 'event'}],
      id: null,
      model: null,
      role: 'system',
      timestamp: null,
      usage: null,
    })
    expect(undone.messages.filter((message) => message.role !== 'system' || message.blocks[0].type !== 'event' || message.blocks[0].kind !== 'undo')).to.deep.equal(before.messages)
    expect(undone.filesChanged).to.deep.equal([])
  })

  it('puts the mark of an undo among the copies of a fork, when the user undid from one of them', async () => {
    const [firstCopy] = home.writer.prepare('SELECT id FROM message WHERE session_id = ? ORDER BY time_created, id').all(IDS.fork) as Array<{id: string}>
    home.writer.prepare('UPDATE session SET revert = ? WHERE id = ?').run(JSON.stringify({messageID: firstCopy.id}), IDS.fork)
    const fork = await readSession(home, IDS.fork)
    const marks = fork.messages.flatMap((message, index) => (message.blocks.some((block) => block.type === 'event' && block.kind === 'undo') ? [index] : []))
    expect(marks).to.deep.equal([0])
    // The mark counts among the copies, so the fork's own part still starts after them.
    expect(fork.copiedMessages).to.equal(2)
    expect(fork.filesChanged).to.deep.equal([])
  })

  it('reads a session of the JSON storage that older versions wrote', async () => {
    const legacy = await readSession(home, IDS.legacy)
    expect(legacy.messages.map((message) => [message.role, message.blocks.map((block) => block.type)])).to.deep.equal([
      ['user', ['text']],
      ['assistant', ['text', 'tool_call']],
      ['tool', ['tool_result']],
    ])
    expect(blocksOf(legacy, 'text').map((block) => block.text)).to.deep.equal(['What does build.sh do?', 'It compiles the TypeScript and bundles the CLI.'])
    expect(blocksOf(legacy, 'tool_call')[0]).to.include({id: 'toolu_01LegacyTask', subagentId: IDS.legacyChild})
    const child = await readSession(home, IDS.legacyChild)
    expect(child).to.include({parentId: IDS.legacy, parentToolCallId: 'toolu_01LegacyTask', title: 'Read build.sh (@general subagent)'})
    expect(legacy).to.include({title: 'Explain the build script', workspace: home.workspace})
    expect(legacy.source.agentVersion).to.equal('1.1.36')
    expect(legacy.usage).to.deep.equal({cacheReadTokens: 2000, cacheWriteTokens: 0, costUsd: 0.0042, inputTokens: 900, outputTokens: 120, reasoningTokens: 0})
  })

  it('lists the files a session changed: those its file tools and patches name, and those its steps record', async () => {
    const id = 'ses_deec0901fffePatchedAb0001'
    const time = {created: 1_795_585_900_000}
    const done = (input: unknown) => ({input, metadata: {}, output: 'Done', status: 'completed', time: {end: 2, start: 1}, title: 'done'})
    const patch = `*** Begin Patch\n*** Update File: ${home.workspace}/src/a.ts\n@@\n-a\n+b\n*** Add File: src/new.ts\n+x\n*** End Patch`
    insertSession(home.writer, {created: time.created, directory: home.workspace, id, title: 'Patched'}, [
      [{agent: 'build', role: 'user', time}, [{text: 'Patch it', type: 'text'}]],
      [
        {modelID: 'gpt-5', providerID: 'openai', role: 'assistant', time: {created: time.created + 10}},
        [
          {callID: 'call_patch', state: done({patchText: patch}), tool: 'apply_patch', type: 'tool'},
          {callID: 'call_edit', state: done({filePath: `${home.workspace}/src/b.ts`, newString: 'y', oldString: 'x'}), tool: 'edit', type: 'tool'},
          {files: [`${home.workspace}/src/a.ts`, `${home.workspace}/made-by-shell.txt`], hash: 'e7250b35', type: 'patch'},
        ],
      ],
    ])
    const session = await readSession(home, id)
    expect(session.filesChanged).to.deep.equal(['src/a.ts', 'src/new.ts', 'src/b.ts', 'made-by-shell.txt'].map((file) => path.join(home.workspace, file)))
  })

  it('links a fork of the JSON storage to the session its copies came from, among those titled like it, the project read once per run', async () => {
    const storage = path.join(home.data, 'storage')
    const project = '4c9f1e27d0b3a8e5f6c7d8e9a0b1c2d3e4f5a6b7'
    const writeJson = (file: string, value: unknown) => {
      mkdirSync(path.dirname(file), {recursive: true})
      writeFileSync(file, JSON.stringify(value, null, 2))
    }
    const message = (fork: string, id: string, created: number, text: string) => {
      writeJson(path.join(storage, 'message', fork, `${id}.json`), {id, role: 'user', sessionID: fork, time: {created}})
      writeJson(path.join(storage, 'part', id, `prt_${id.slice(4)}.json`), {id: `prt_${id.slice(4)}`, messageID: id, sessionID: fork, text, type: 'text'})
    }
    // Each fork copies the legacy session's first prompt (a new id, its own time), the second its reply too.
    const copies: Array<[string, number, string]> = [['U1', 1_763_370_000_100, 'What does build.sh do?'], ['A1', 1_763_370_001_000, 'It builds.']]
    const writeFork = (fork: string, number: number, created: number) => {
      writeJson(path.join(storage, 'session', project, `${fork}.json`), {
        directory: home.workspace, id: fork, projectID: project, time: {created, updated: created + 200}, title: `Explain the build script (fork #${number})`, version: '1.1.36',
      })
      for (const [suffix, at, text] of copies.slice(0, number)) message(fork, `msg_1a2b3c4d8001LegacyFork${number}${suffix}`, at, text)
      message(fork, `msg_1a2b3c4d8101LegacyFork${number}U2`, created + 100, 'And install.sh?')
    }
    const forks = ['ses_4f1c2e0a5ffeLegacyForkAb1', 'ses_4f1c2e0a5ffeLegacyForkAb2']
    writeFork(forks[0], 1, 1_763_370_090_000)
    writeFork(forks[1], 2, 1_763_370_095_000)

    const run = home.context()
    const session = await readSession(home, forks[0], run)
    expect(session).to.include({copiedMessages: 1, forkedFrom: IDS.legacy})
    expect(blocksOf(session, 'text').map((block) => block.text)).to.deep.equal(['What does build.sh do?', 'And install.sh?'])
    // Later in the same run, the project's sessions are those its first fork listed.
    rmSync(path.join(storage, 'session', project, `${IDS.legacy}.json`))
    expect(await readSession(home, forks[1], run)).to.include({copiedMessages: 2, forkedFrom: IDS.legacy})
    expect((await readSession(home, forks[1])).forkedFrom, 'a new run lists the project again').to.equal(null)
  })

  it('reads the session the database holds when the JSON storage has an old copy', async () => {
    const session = await readSession(home, IDS.main, home.context({debug: () => {}}))
    expect(JSON.stringify(session)).to.not.include('STALE JSON COPY')
  })
})

describe('OpenCode reader: parts the main fixture does not show', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome()
  })
  afterEach(() => home.writer.close())

  it('shows interrupted calls, @-mentions, subtasks, attached files, injected text and failed replies for what they are', async () => {
    const id = 'ses_deec0900fffeMorePartsAb01'
    const time = {created: 1_795_585_800_000}
    insertSession(home.writer, {created: time.created, directory: home.workspace, id, title: 'More parts'}, [
      [
        {agent: 'build', role: 'user', time},
        [
          {name: 'explore', source: {end: 8, start: 0, value: '@explore'}, type: 'agent'},
          {agent: 'general', description: 'Look around', prompt: 'List the folders', type: 'subtask'},
          {filename: 'notes.txt', mime: 'text/plain', source: {path: 'notes.txt', text: {end: 0, start: 0, value: ''}, type: 'file'}, type: 'file', url: `file://${home.workspace}/notes.txt`},
          {filename: 'inline.txt', mime: 'text/plain', type: 'file', url: 'data:text/plain,hello%20world'},
          {synthetic: true, text: 'Called the Read tool with the following input: {"filePath":"notes.txt"}', type: 'text'},
          {ignored: true, text: 'ignored text', type: 'text'},
        ],
      ],
      [
        {error: {data: {message: 'The operation was aborted.'}, name: 'MessageAbortedError'}, modelID: 'gpt-5', providerID: 'openai', role: 'assistant', time: {created: time.created + 10}},
        [
          {callID: 'call_running', state: {input: {command: 'sleep 100'}, metadata: {description: 'Wait', output: 'waiting\n'}, status: 'running', time: {start: time.created + 11}}, tool: 'bash', type: 'tool'},
          {callID: 'call_pending', state: {input: {}, raw: '{"comm', status: 'pending'}, tool: 'bash', type: 'tool'},
          {callID: 'call_abort', state: {error: 'Tool execution aborted', input: {command: 'npm test'}, metadata: {interrupted: true, output: 'PASS a.test.ts\n'}, status: 'error', time: {end: time.created + 3012, start: time.created + 12}}, tool: 'bash', type: 'tool'},
          {metadata: {openai: {reasoningEncryptedContent: 'gAAAA'}}, text: '', time: {start: 1}, type: 'reasoning'},
        ],
      ],
    ])
    const session = await readSession(home, id)
    const [prompt, reply, results] = session.messages
    expect(prompt.blocks).to.deep.equal([
      {kind: 'agent', text: '@explore', type: 'event'},
      {kind: 'subtask', text: '@general: Look around\n\nList the folders', type: 'event'},
      {data: null, kind: 'file', mimeType: 'text/plain', name: 'notes.txt', path: `${home.workspace}/notes.txt`, type: 'attachment'},
      {data: Buffer.from('hello world').toString('base64'), kind: 'file', mimeType: 'text/plain', name: 'inline.txt', path: null, type: 'attachment'},
      {kind: 'synthetic', text: 'Called the Read tool with the following input: {"filePath":"notes.txt"}', type: 'event'},
    ])
    expect(reply.model).to.equal('openai/gpt-5')
    expect(reply.blocks.filter((block) => block.type !== 'tool_call')).to.deep.equal([
      {redacted: true, text: '', type: 'thinking'},
      {kind: 'error', text: 'MessageAbortedError: The operation was aborted.', type: 'event'},
    ])
    expect(blocksOf(session, 'tool_call').map((call) => call.input)).to.deep.equal([{command: 'sleep 100'}, '{"comm', {command: 'npm test'}])
    expect(results.blocks).to.deep.equal([
      // Calls that never ended are no failures: neither an exit code nor a time is known.
      {callId: 'call_running', durationMs: null, exitCode: null, isError: true, output: 'waiting\n', status: 'unfinished', type: 'tool_result'},
      {callId: 'call_pending', durationMs: null, exitCode: null, isError: true, output: '', status: 'unfinished', type: 'tool_result'},
      {callId: 'call_abort', durationMs: 3000, exitCode: null, isError: true, output: 'PASS a.test.ts\n\nTool execution aborted', status: 'interrupted', type: 'tool_result'},
    ])
  })

  it('marks a reply cut at the output token limit', async () => {
    const id = 'ses_deec0900fffeCutAtLimitAb1'
    const time = {created: 1_795_585_900_000}
    insertSession(home.writer, {created: time.created, directory: home.workspace, id, title: 'Long essay'}, [
      [{agent: 'build', role: 'user', time}, [{text: 'Write a long essay', type: 'text'}]],
      [{finish: 'length', modelID: 'gpt-5', providerID: 'openai', role: 'assistant', time: {completed: time.created + 20, created: time.created + 10}}, [{text: 'The essay begins and then', type: 'text'}]],
    ])
    const reply = (await readSession(home, id)).messages.at(-1)!
    expect(reply.blocks).to.deep.equal([{text: 'The essay begins and then', type: 'text'}, {kind: 'output_limit', text: 'The reply stopped at the output token limit.', type: 'event'}])
  })

  it('skips a corrupt file of the JSON storage with a warning naming it, and reads the rest', async () => {
    const file = `${home.data}/storage/part/msg_1a2b3c4d6001LegacyReplyA01/prt_1a2b3c4d6003LegacyPartB02.json`
    writeFileSync(file, '{"id": "prt_1a2b3c4d6003LegacyPartB02", "type": "te')
    const ctx = home.context()
    const legacy = await readSession(home, IDS.legacy, ctx)
    expect(ctx.warnings).to.have.length(1)
    expect(ctx.warnings[0]).to.match(new RegExp(`^${file}: its JSON data is corrupt \\(`))
    expect(blocksOf(legacy, 'text').map((block) => block.text)).to.deep.equal(['What does build.sh do?'])
    expect(blocksOf(legacy, 'tool_call')).to.have.length(1)
  })
})
