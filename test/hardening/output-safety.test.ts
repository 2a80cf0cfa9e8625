import {expect} from 'chai'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {SessionRef} from '../../src/model/ref.js'
import {foreignIndexFiles} from '../../src/pipeline/index-file.js'
import {planLayout} from '../../src/pipeline/layout.js'
import {safeSegment, shortId} from '../../src/pipeline/names.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {spawnSync} from 'node:child_process'
import {BIN, fixtureSession, runCli, sandbox, tempDir, unwrap, writeExampleSessions} from '../helpers/cli.js'

const ref = (id: string, parentId: string | null = null, title: string | null = 'A title'): SessionRef => ({
  agent: 'example', createdAt: '2026-11-20T09:00:00Z', fingerprint: '1', gitBranches: [], id, parentId,
  sizeBytes: 1, sourcePath: '/x', title, updatedAt: null, workspace: '/w',
})

describe('hardening: names and paths', () => {
  const hostile = ['../../etc', '/etc/passwd', 'a/b\\c', 'nul\u0000byte', 'bell\u0007and\nnewline', 'CON', 'lpt1.txt', '..', '.', '', ' . ', 'x'.repeat(500), '日本語'.repeat(60)]

  it('turns any string into one portable, non-empty path segment', () => {
    for (const raw of hostile) {
      const segment = safeSegment(raw)
      expect(segment, JSON.stringify(raw)).to.match(/^[^/\\\u0000-\u001f]+$/)
      expect(segment).not.to.match(/^\.+$/)
      expect(segment).not.to.match(/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i)
      expect(Buffer.byteLength(segment)).to.be.at.most(100)
    }
  })

  it('names a file as the file system will list it back: half of a cut character becomes U+FFFD', () => {
    // Written as UTF-8, an unpaired surrogate is listed back as U+FFFD: a name holding one would
    // never match its own file, and the session would be exported again on every run.
    expect(safeSegment('notes \uD83D.md')).to.equal('notes \uFFFD.md')
    expect(safeSegment('\uDE00 \uD83D\uDE00')).to.equal('\uFFFD \uD83D\uDE00')
  })

  it('trims spaces and dots at the ends of a name, however long the runs of them inside', () => {
    expect(safeSegment(` . report${' '.repeat(400_000)}final .`)).to.equal('report')
    expect(safeSegment(`..notes${'.'.repeat(400_000)}`)).to.equal('notes')
    expect(safeSegment(' . my notes.txt . ')).to.equal('my notes.txt')
  })

  it('plans every hostile id inside the agent folder with distinct names', () => {
    const plan = planLayout(hostile.map((id, index) => ref(id || `empty-${index}`)), {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map()})
    const files = plan.map((entry) => entry.file)
    expect(new Set(files).size).to.equal(files.length)
    for (const file of files) {
      expect(file.startsWith('example/')).to.equal(true)
      expect(file.split('/')).not.to.include('..')
      expect(file.split('/')).to.have.length(2)
    }
  })

  it('does not reuse a file a state names outside the output folder (a state file edited by hand or by a merge)', () => {
    const planned = (previous: string) => planLayout([ref('12345678-aaaa')], {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map([['example/12345678-aaaa', previous]])})[0].file
    for (const outside of ['../12345678.md', 'example/../../12345678.md', 'example/..', '/tmp/12345678.md', 'a/../b.md']) expect(planned(outside), outside).to.equal('example/2026-11-20-a-title-12345678.md')
    for (const inside of ['example/..notes-12345678.md', 'example/notes..-12345678.md', 'example/.../x.md']) expect(planned(inside), inside).to.equal(inside)
  })

  it('refuses relative paths that climb out of the output folder', () => {
    const output = new OutputFolder(tempDir())
    for (const escape of ['../x', '/etc/passwd', 'a/../../x', 'a\u0000b']) expect(() => output.resolve(escape), escape).to.throw(/outside the output folder/)
  })

  it('survives a cycle in parent links and a missing parent', () => {
    const plan = planLayout([ref('aaaa1111', 'bbbb2222'), ref('bbbb2222', 'aaaa1111'), ref('cccc3333', 'missing')], {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map()})
    expect(plan.map((entry) => entry.file)).to.deep.equal([
      'example/2026-11-20-a-title-bbbb2222/2026-11-20-a-title-aaaa1111.md',
      'example/2026-11-20-a-title-bbbb2222.md',
      'example/2026-11-20-a-title-cccc3333.md',
    ])
  })

  it('gives sessions whose short ids collide their full ids', () => {
    const plan = planLayout([ref('12345678-aaaa'), ref('12345678-bbbb')], {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map()})
    expect(plan.map((entry) => entry.file)).to.deep.equal(['example/2026-11-20-a-title-12345678.md', 'example/2026-11-20-a-title-12345678-bbbb.md'])
  })

  it('names sessions with long titles in a script of several bytes a letter apart: the title is cut, never the id', () => {
    const title = '数据库连接池在高并发下偶尔超时需要排查原因并修复问题同时补充测试和文档'
    const plan = planLayout([ref('c0000007-aaaa', null, `${title} A`), ref('c0000008-bbbb', null, `${title} B`)], {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map()})
    expect(plan[0].file).to.not.equal(plan[1].file)
    expect(plan[0].file).to.match(/^example\/2026-11-20-数据库.*-c0000007\.md$/)
    expect(plan[1].file).to.match(/-c0000008\.md$/)
    for (const {file} of plan) expect(Buffer.byteLength(path.posix.basename(file, '.md'))).to.be.at.most(100)
  })

  it("numbers a session's name when every other name it could have is a user's file", () => {
    const first = planLayout([ref('12345678-aaaa')], {extension: 'md', existingNames: () => new Set(), isExportOf: () => false, previous: new Map()})
    const usersFiles = new Set<string>()
    let file = first[0].file
    // Each run finds a user's file where the last one planned the export: its short id, full id and hashed id in turn.
    for (let run = 0; run < 3; run++) {
      usersFiles.add(path.posix.basename(file))
      file = planLayout([ref('12345678-aaaa')], {extension: 'md', existingNames: () => usersFiles, isExportOf: () => false, previous: new Map()})[0].file
      expect(usersFiles.has(path.posix.basename(file))).to.equal(false)
    }

    expect(file).to.match(/-12345678-[0-9a-f]{12}-2\.md$/)
  })

  it('shortens ids to their distinguishing part: the head of a random id, the tail of a time-ordered one', () => {
    expect(shortId('f77f6692-e2f3-410b-bff6-eee2292ae673'), 'UUID v4').to.equal('f77f6692')
    // Pi's UUID v7 ids start with a time that changes once a minute. (OpenCode's change every 16 ms.)
    expect(shortId('01a21140-dfc3-7749-881d-69f36c562b46')).to.equal('6c562b46')
    expect(shortId('01a21140-e280-737c-8a6c-a47741e5bc9d')).to.equal('41e5bc9d')
    expect(shortId('ses_4f2a9c01abffe2Xk9Lm3Pq7Rs5')).to.equal('4f2a9c01')
    expect(shortId('agent-a8d5af4cf097ebebb')).to.equal('a8d5af4c')
    // A branch a session left, by its leaf: a Claude Code session's id would give its session's.
    expect(shortId('5e0e5c2b-7f1d-4c3a-9e10-000000000005.branch-aaaa0000')).to.equal('aaaa0000')
    expect(shortId('01a21140-dfc3-7749-881d-69f36c562b46.branch-9f3e1a27')).to.equal('9f3e1a27')
  })
})

describe('hardening: writing', () => {
  it('replaces files atomically and leaves no temporary file behind on failure', async () => {
    const root = tempDir()
    const output = new OutputFolder(root)
    await output.write('a/file.md', 'old')
    mkdirSync(path.join(root, 'a', 'dir.md'))
    let failed = false
    try {
      await output.write('a/dir.md', 'cannot replace a folder')
    } catch {
      failed = true
    }

    expect(failed).to.equal(true)
    await output.write('a/file.md', 'new')
    expect(readFileSync(path.join(root, 'a/file.md'), 'utf8')).to.equal('new')
    expect(readdirSync(path.join(root, 'a')).sort()).to.deep.equal(['dir.md', 'file.md'])
  })

  it('keeps the previous export when a re-export fails', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich')], root)
    await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    const [file] = readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md'))
    const before = readFileSync(path.join(output, 'example', file), 'utf8')
    writeExampleSessions(env, [{...fixtureSession('rich'), messages: 'broken'} as never], root)
    const result = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(result.code).to.equal(1)
    expect(readFileSync(path.join(output, 'example', file), 'utf8')).to.equal(before)
  })

  it('lets two runs share an output folder without losing files or state records', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich'), fixtureSession('subagent'), fixtureSession('empty')], root)
    const runs = ['markdown', 'json', 'toon', 'markdown'].map((format) => runCli(['--agent', 'example', '-w', root, '-o', output, '-f', format], env))
    for (const result of await Promise.all(runs)) expect(result.code, result.stderr).to.equal(0)
    const state = JSON.parse(readFileSync(path.join(output, '.sessionsync/state.json'), 'utf8'))
    for (const session of Object.values(state.sessions) as {exports: object}[]) expect(Object.keys(session.exports).sort()).to.deep.equal(['json', 'markdown', 'toon'])
    for (const extension of ['md', 'json', 'toon']) {
      expect(readdirSync(path.join(output, 'example')).filter((name) => name.endsWith(`.${extension}`))).to.have.length(2)
    }

    const leftovers = readdirSync(output, {recursive: true}).filter((name) => String(name).endsWith('.tmp'))
    expect(leftovers).to.deep.equal([])
  })

  it('falls back to a full export, and says so, when the state file is corrupt', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich')], root)
    await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    writeFileSync(path.join(output, '.sessionsync/state.json'), '{"version": 2, "sessions": {"x": tru')
    const result = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(result.stderr).to.contain('state file .sessionsync/state.json is missing parts or corrupt; exporting everything again')
    expect(result.stdout).to.contain('1 found, 1 written')
    expect(readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md'))).to.have.length(1)
    expect(existsSync(path.join(output, '.sessionsync/state.json'))).to.equal(true)
  })

  it('says so when the state file of an earlier export is missing, and only then', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich')], root)
    const first = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(first.stderr).not.to.contain('state file')
    rmSync(path.join(output, '.sessionsync/state.json'))
    const result = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(unwrap(result.stderr)).to.contain('the state file .sessionsync/state.json is missing, though INDEX.md shows an earlier export here; exporting everything again')
    expect(result.stdout).to.contain('1 found, 1 written')
    // The same file again, not a second one beside it.
    expect(readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md'))).to.have.length(1)
  })

  it('stops with one message, keeping what it wrote, when a file reaches the size this process may write (ulimit -f)', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    const large = {...fixtureSession('empty'), id: 'ffff0000-0000-4000-8000-000000000001', messages: [{blocks: [{text: 'many words '.repeat(10_000), type: 'text' as const}], id: null, model: null, role: 'user' as const, timestamp: '2026-11-20T09:00:00.000Z', usage: null}], updatedAt: '2026-11-20T09:00:00.000Z'}
    writeExampleSessions(env, [fixtureSession('empty'), large], root)
    // 64 KB: room for the small export, not for the large one.
    const result = spawnSync('bash', ['-c', `ulimit -f 64; exec "${process.execPath}" "${BIN}" --agent example -w "${root}" -o "${output}"`], {encoding: 'utf8', env: {PATH: process.env.PATH, ...env}})
    expect(result.status).to.equal(1)
    expect(unwrap(result.stderr)).to.contain('a file reached the largest size this process may write (ulimit -f), so no more sessions were written').and.not.to.contain('EFBIG')
    expect(result.stdout).to.contain('1 written')
  })

  it("never writes over a user's files in the output folder: an index of their own, a file under an export's name", async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich')], root)
    const exportName = (await runCli(['--agent', 'example', '-w', root, '-o', path.join(root, 'first')], env)).code === 0 ? readdirSync(path.join(root, 'first', 'example')).find((name) => name.endsWith('.md'))! : ''
    const users = {'INDEX.md': 'My own index\n', 'index.json': '{"mine": true}\n', [`example/${exportName}`]: 'My notes\n', [`example/my-notes-${exportName.split('-').at(-1)}`]: 'More notes\n'}
    mkdirSync(path.join(output, 'example'), {recursive: true})
    for (const [name, content] of Object.entries(users)) writeFileSync(path.join(output, name), content)
    const result = await runCli(['--agent', 'example', '-w', root, '-o', output], env)
    expect(result.code, result.stderr).to.equal(0)
    expect(result.stdout).to.contain('1 found, 1 written')
    for (const [name, content] of Object.entries(users)) expect(readFileSync(path.join(output, name), 'utf8'), name).to.equal(content)
    expect(unwrap(result.stderr)).to.contain(`INDEX.md and index.json in ${output} are not sessionsync's`)
    expect(result.stderr).to.not.contain('state file')
    // The session got a name of its own, which the next run keeps.
    const exported = readdirSync(path.join(output, 'example')).filter((name) => name.endsWith('.md') && !Object.keys(users).includes(`example/${name}`))
    expect(exported).to.have.length(1)
    expect(readFileSync(path.join(output, 'example', exported[0]), 'utf8')).to.contain(`id: ${fixtureSession('rich').id}`)
    expect((await runCli(['--agent', 'example', '-w', root, '-o', output], env)).stdout).to.contain('1 up to date')
  })

  it('knows its own index with the CRLF line ends git gives it on Windows (core.autocrlf), and still not a file of the same start of its own', async () => {
    const {env, root} = await sandbox()
    const output = path.join(root, 'out')
    writeExampleSessions(env, [fixtureSession('rich')], root)
    expect((await runCli(['--agent', 'example', '-w', root, '-o', output], env)).code).to.equal(0)
    for (const name of ['INDEX.md', 'index.json']) writeFileSync(path.join(output, name), readFileSync(path.join(output, name), 'utf8').replaceAll('\n', '\r\n'))
    writeFileSync(path.join(output, 'INDEX-2026-10.md'), '# Session indexes I keep\r\n')
    expect(foreignIndexFiles(new OutputFolder(output))).to.deep.equal(['INDEX-2026-10.md'])
  })
})
