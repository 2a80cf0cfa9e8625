import {expect} from 'chai'
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {SearchResultSchema} from '../../src/model/search-result.js'
import {fixtureSession, runCli, sandbox, tempDir, unwrap, writeExampleSessions} from '../helpers/cli.js'

describe('sessionsync search', () => {
  let env: NodeJS.ProcessEnv
  let workspace: string

  before(async () => {
    ;({env, workspace} = await sandbox())
    const older = {...fixtureSession('empty'), id: '0c0ffee0-0000-4000-8000-000000000002', title: 'An older talk about the upload', updatedAt: '2026-11-01T00:00:00.000Z'}
    writeExampleSessions(env, [older, fixtureSession('rich'), fixtureSession('subagent')], workspace)
  })

  const search = (...args: string[]) => runCli(['search', '--agent', 'example', '-w', workspace, ...args], env, workspace)

  it('shows the sessions that match, newest first, with their export and where each match is', async () => {
    const output = path.join(workspace, '.sessions')
    await runCli(['sync', '--agent', 'example', '-w', workspace, '-o', output], env)
    const result = await search('upload')
    expect(result.code, result.stderr).to.equal(0)
    const [rich, subagent, older] = result.stdout.split('\n\n')
    expect(rich.split('\n')).to.deep.equal([
      'example  7f3c2a10  2026-11-20  Fix the flaky upload test — ünïcödé 日本語  (5 matches)',
      '  .sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-7f3c2a10.md',
      '    title               Fix the flaky upload test — ünïcödé 日本語',
      '    user 09:15:00       The upload test fails sometimes. Here is the log: ``` FAIL upload.test.ts ``` Can you fi…',
      '    Bash call 09:15:05  {"command":"npm test -- upload\\necho done","description":"Run the upload test"}',
      '    … and 2 more',
    ])
    expect(subagent.split('\n').slice(1)).to.deep.equal([
      '  .sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-7f3c2a10/2026-11-20-search-for-timers-a1b2c3d.md',
      '    assistant 09:16:59  Found 2 uses in upload.ts.',
    ])
    expect(older).to.match(/^example {2}0c0ffee0 {2}2026-11-01 {2}An older talk about the upload {2}\(1 match\)\n/)
    expect(result.stdout.trimEnd().split('\n').at(-1)).to.equal('7 matches in 3 sessions (3 searched).')
  })

  it('answers scripts in JSON, stops at --limit, searches only what was said with --no-tools, and shows more matches with --matches', async () => {
    const json = JSON.parse((await search('upload', '--json', '--limit', '1')).stdout)
    // Every field its schema has, and no other.
    expect(SearchResultSchema.parse(json)).to.deep.equal(json)
    expect(json.searched).to.equal(1)
    expect(json.sessions).to.have.length(1)
    // The export the first test made, from the current folder.
    expect(json.sessions[0]).to.include({agent: 'example', export: '.sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-7f3c2a10.md', id: '7f3c2a10-4b5e-4c1d-9a8b-0123456789ab', total: 5})
    expect(json.sessions[0].matches[2]).to.deep.equal({place: 'tool call', role: 'assistant', snippet: '{"command":"npm test -- upload\\necho done","description":"Run the upload test"}', timestamp: '2026-11-20T09:15:05.000Z', tool: 'Bash'})
    const withoutTools = JSON.parse((await search('upload', '--json', '--no-tools')).stdout)
    expect(withoutTools.sessions[0].total).to.equal(3)
    // Words without quotes are one text.
    const words = JSON.parse((await search('fake', 'timers', '--json')).stdout)
    expect(words.pattern).to.equal('fake timers')
    expect(words.sessions.map((session: {id: string}) => session.id)).to.deep.equal(['7f3c2a10-4b5e-4c1d-9a8b-0123456789ab'])
    const allMatches = JSON.parse((await search('upload', '--json', '--matches', '10')).stdout)
    expect(allMatches.sessions[0].matches.map((match: {place: string}) => match.place)).to.deep.equal(['title', 'text', 'tool call', 'tool output', 'event'])
  })

  it('exits with 1 when nothing matches, with its JSON all the same, and with 2 for an invalid regular expression', async () => {
    const none = await search('no such words anywhere')
    expect(none.code).to.equal(1)
    expect(none.stdout).to.contain('No match for "no such words anywhere" (3 sessions searched).')
    const noneAsJson = await search('no such words anywhere', '--json')
    expect(noneAsJson.code).to.equal(1)
    expect(JSON.parse(noneAsJson.stdout)).to.deep.equal({pattern: 'no such words anywhere', searched: 3, sessions: [], tools: []})
    const invalid = await search('a(', '--regex')
    expect(invalid.code).to.equal(2)
    expect(invalid.stderr).to.contain('not a valid regular expression')
  })

  it('looks in the calls of the tools given with --tool, or lists every call of them without a text', async () => {
    const inShell = JSON.parse((await search('upload', '--tool', 'bash', '--json')).stdout)
    expect(inShell.tools).to.deep.equal(['bash'])
    expect(inShell.sessions.map((session: {id: string; total: number}) => [session.id, session.total])).to.deep.equal([['7f3c2a10-4b5e-4c1d-9a8b-0123456789ab', 1]])
    const calls = await search('--tool', 'Read', '--tool', 'Task')
    expect(calls.code, calls.stderr).to.equal(0)
    expect(calls.stdout).to.contain('    Read call 09:15:05  {"file_path":"/home/dev/app/missing.ts"}').and.to.contain('Task call')
    expect(calls.stdout.trimEnd().split('\n').at(-1)).to.equal('2 matches in 1 session (3 searched).')
    const none = await search('--tool', 'WebFetch')
    expect(none.code).to.equal(1)
    expect(none.stdout).to.contain('No call of WebFetch (3 sessions searched).')
    expect((await search('deploy', '--tool', 'Bash')).stdout).to.contain('No match for "deploy" in calls of Bash (3 sessions searched).')
    const contradiction = await search('--tool', 'Bash', '--no-tools')
    expect(contradiction.code).to.equal(2)
    expect(contradiction.stderr).to.contain('--tool and --no-tools contradict each other')
    const nothing = await search()
    expect(nothing.code).to.equal(2)
    expect(nothing.stderr).to.contain('nothing to search for')
  })

  it('searches the exports of sessions the agent no longer has: a JSON export as a session, any other line by line', async () => {
    const folder = tempDir()
    const output = path.join(folder, '.sessions')
    const gone = {...fixtureSession('rich'), id: '90e90e90-0000-4000-8000-000000000001'}
    writeExampleSessions(env, [gone, fixtureSession('empty')], folder)
    const exportAs = (format: string) => runCli(['sync', '--agent', 'example', '-w', folder, '-o', output, '-f', format], env, folder)
    await exportAs('markdown')
    // The agent deletes the session (as Claude Code does after 30 days): only its export is left.
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const searchHere = async (...args: string[]) => JSON.parse((await runCli(['search', 'fake timers', '--agent', 'example', '-w', folder, '--json', ...args], env, folder)).stdout)
    const inMarkdown = await searchHere()
    expect(inMarkdown.sessions).to.have.length(1)
    expect(inMarkdown.sessions[0]).to.include({export: '.sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.md', fromExport: true, id: gone.id, total: 1})
    expect(inMarkdown.sessions[0].matches[0]).to.deep.equal({place: 'export', role: null, snippet: 'Done: the test now uses fake timers.', timestamp: null, tool: null})
    expect(SearchResultSchema.parse(inMarkdown)).to.deep.equal(inMarkdown)

    writeExampleSessions(env, [gone, fixtureSession('empty')], folder)
    await exportAs('json')
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const inJson = await searchHere()
    expect(inJson.sessions[0]).to.include({fromExport: true, id: gone.id, total: 1})
    expect(inJson.sessions[0].export).to.match(/\.json$/)
    expect(inJson.sessions[0].matches[0]).to.deep.include({place: 'text', role: 'assistant', timestamp: '2026-11-20T09:42:10.500Z'})
    // The same filters as for the agent's sessions: another folder's exports are not searched.
    const elsewhere = await runCli(['search', 'fake timers', '--agent', 'example', '-w', tempDir(), '-o', output, '--json'], env, folder)
    expect(JSON.parse(elsewhere.stdout).sessions).to.deep.equal([])
    const shown = (await runCli(['search', 'fake timers', '--agent', 'example', '-w', folder], env, folder)).stdout
    expect(shown).to.contain('(1 match; the agent no longer has it: found in its export)')
  })

  it('says which export of a session the agent no longer has could not be searched, and searches the others, redacted under --redact', async () => {
    const folder = tempDir()
    const deleted = {...fixtureSession('rich'), id: 'a1e90e90-0000-4000-8000-000000000001'}
    const rich = fixtureSession('rich')
    const leak = {blocks: [{text: 'fake timers, and the key AKIAIOSFODNN7EXAMPLE', type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}
    const kept = {...rich, id: 'b2e90e90-0000-4000-8000-000000000002', messages: [...rich.messages, leak]}
    writeExampleSessions(env, [deleted, kept, fixtureSession('empty')], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const exportOf = (id: string) => path.join('.sessions', 'example', readdirSync(path.join(folder, '.sessions', 'example')).find((name) => name.endsWith(`${id.slice(0, 8)}.md`))!)
    const deletedExport = exportOf(deleted.id)
    rmSync(path.join(folder, deletedExport))
    const result = await runCli(['search', 'fake timers', '--agent', 'example', '-w', folder, '--json'], env, folder)
    expect(JSON.parse(result.stdout).sessions.map(({id}: {id: string}) => id)).to.deep.equal([kept.id])
    expect(result.stderr).to.contain(`example session ${deleted.id}: its export ${deletedExport} could not be searched: it was deleted`)
    mkdirSync(path.join(folder, deletedExport))
    const folderInPlace = await runCli(['search', 'fake timers', '--agent', 'example', '-w', folder, '--json'], env, folder)
    expect(JSON.parse(folderInPlace.stdout).sessions).to.have.length(1)
    expect(folderInPlace.stderr).to.contain(`its export ${deletedExport} could not be searched: a folder stands in its place`)
    const redacted = await runCli(['search', 'fake timers', '--agent', 'example', '-w', folder, '--redact'], env, folder)
    expect(redacted.stdout).to.contain('the key [REDACTED:aws-access-key]').and.not.to.contain('AKIAIOSFODNN7EXAMPLE')
  })

  it('searches a TOON export of a session the agent no longer has as a session, so --tool applies to it; a Markdown one not', async () => {
    const gone = {...fixtureSession('rich'), id: '90e90e90-0000-4000-8000-000000000002'}
    const archiveAs = async (format: string) => {
      const folder = tempDir()
      writeExampleSessions(env, [gone, fixtureSession('empty')], folder)
      await runCli(['sync', '--agent', 'example', '-w', folder, '-o', path.join(folder, '.sessions'), '-f', format], env, folder)
      writeExampleSessions(env, [fixtureSession('empty')], folder)
      return async (...args: string[]) => JSON.parse((await runCli(['search', 'upload', '--agent', 'example', '-w', folder, '--json', ...args], env, folder)).stdout)
    }

    const inToon = await archiveAs('toon')
    const found = await inToon('--tool', 'bash')
    expect(found.sessions).to.have.length(1)
    expect(found.sessions[0]).to.include({fromExport: true, id: gone.id, total: 1})
    expect(found.sessions[0].export).to.match(/\.toon$/)
    expect(found.sessions[0].matches[0]).to.deep.include({place: 'tool call', role: 'assistant', timestamp: '2026-11-20T09:15:05.000Z', tool: 'Bash'})
    const inMarkdown = await archiveAs('markdown')
    expect((await inMarkdown()).sessions, 'found line by line').to.have.length(1)
    expect((await inMarkdown('--tool', 'bash')).sessions, 'a line of Markdown does not say whose output it is').to.deep.equal([])
  })

  it('searches a JSON export that is not a document it reads line by line, and says why', async () => {
    const folder = tempDir()
    const gone = {...fixtureSession('rich'), id: '90e90e90-0000-4000-8000-000000000003'}
    writeExampleSessions(env, [gone, fixtureSession('empty')], folder)
    await runCli(['sync', '--agent', 'example', '-w', folder, '-f', 'json'], env, folder)
    writeExampleSessions(env, [fixtureSession('empty')], folder)
    const exported = '.sessions/example/2026-11-20-fix-the-flaky-upload-test-ünïcödé-日本語-90e90e90.json'
    const whole = readFileSync(path.join(folder, exported), 'utf8')
    // Cut inside its blocks: the title and the first messages are still there.
    writeFileSync(path.join(folder, exported), whole.slice(0, whole.indexOf('"blocks": [') + 400))
    const searchHere = (...args: string[]) => runCli(['search', 'upload', '--agent', 'example', '-w', folder, '--json', ...args], env, folder)
    const cut = await searchHere()
    expect(JSON.parse(cut.stdout).sessions).to.have.length(1)
    expect(JSON.parse(cut.stdout).sessions[0].matches[0]).to.include({place: 'export', role: null})
    expect(unwrap(cut.stderr)).to.contain(`example session ${gone.id}: its export ${exported} does not read as a session document (cut short, or changed since it was written): searched line by line`)
    const calls = await searchHere('--tool', 'Bash')
    expect(JSON.parse(calls.stdout).sessions).to.deep.equal([])
    expect(unwrap(calls.stderr)).to.contain(`its export ${exported} does not read as a session document (cut short, or changed since it was written): not searched, as only a document says which call a line belongs to`)
    writeFileSync(path.join(folder, exported), whole.replace('"schemaVersion": 5,', '"schemaVersion": 6,'))
    const newer = await searchHere()
    expect(JSON.parse(newer.stdout).sessions[0]).to.include({id: gone.id, total: whole.split('\n').filter((line) => /upload/i.test(line)).length})
    expect(unwrap(newer.stderr)).to.contain(`its export ${exported} is a document of version 6, from a newer sessionsync (this one reads versions 3 to 5): searched line by line`)
    // A document it reads is searched as a session, without a word.
    writeFileSync(path.join(folder, exported), whole)
    const read = await searchHere()
    expect(JSON.parse(read.stdout).sessions[0].matches[0].place).to.equal('title')
    expect(read.stderr).not.to.contain('does not read')
  })

  it('prints no control character a session holds, which could drive the terminal', async () => {
    const hostile = {...fixtureSession('empty'), title: 'Escape \u001B]0;owned\u0007', messages: [{blocks: [{text: 'before \u001B[2J cleared', type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}]}
    const folder = tempDir()
    writeExampleSessions(env, [hostile], folder)
    const result = await runCli(['search', 'cleared', '--agent', 'example', '-w', folder], env, folder)
    expect(result.stdout).to.contain('Escape \u241B]0;owned\u2407').and.to.contain('before \u241B[2J cleared')
    expect(result.stdout).not.to.match(/[\u0000-\u0009\u000B-\u001F]/)
    const listed = await runCli(['list', '--agent', 'example', '-w', folder, '-o', tempDir()], env, folder)
    expect(listed.stdout).to.contain('Escape \u241B]0;owned\u2407').and.not.to.match(/[\u0000-\u0009\u000B-\u001F]/)
  })

  it('shows snippets with secrets redacted under --redact', async () => {
    const leaky = {...fixtureSession('empty'), title: 'Deploy', messages: [{blocks: [{text: 'the key is AKIAIOSFODNN7EXAMPLE for deploys', type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: null, usage: null}]}
    const folder = tempDir()
    writeExampleSessions(env, [leaky], folder)
    const result = await runCli(['search', 'deploys', '--agent', 'example', '-w', folder, '--redact'], env, folder)
    expect(result.stdout).to.contain('[REDACTED:aws-access-key]').and.not.to.contain('AKIAIOSFODNN7EXAMPLE')
  })
})
