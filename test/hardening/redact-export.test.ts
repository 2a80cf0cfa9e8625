import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {runCli, tempDir, unwrap} from '../helpers/cli.js'
import {claudeReader} from '../../plugins/reader-claude/src/reader.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import type {Log} from '../../src/pipeline/plan.js'
import {exportedRedacted} from '../../src/pipeline/redaction-mark.js'
import {runSync, type SyncOptions} from '../../src/pipeline/sync.js'

const quiet: Log = {debug() {}, info() {}, warn() {}}

// Fake secrets in the shapes of real ones, planted where sessions really carry them.
const SECRETS = {
  anthropic: 'sk-ant-api03-AbCdEf0123456789_GhIjKlMnOpQrStUv-wxyz',
  aws: 'AKIAIOSFODNN7EXAMPLE',
  github: 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  password: 'hunter2xyz',
  stripe: 'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  urlPassword: 's3cr3tPass',
}
// Ordinary text that looks random and must survive untouched.
const ORDINARY = {
  hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  png: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  uuid: '0b6f3c9e-2d4a-4f7e-9c1b-5a8d7e6f4c3b',
}

const SESSION_ID = 'c1a2b3c4-d5e6-4f70-8a9b-0c1d2e3f4a5b'

/** A Claude Code session whose prompt, thinking, tool input, tool output and title hold secrets. */
function writeClaudeSession(config: string): void {
  const folder = path.join(config, 'projects', '-home-dev-app')
  mkdirSync(folder, {recursive: true})
  const envelope = {cwd: '/home/dev/app', gitBranch: 'main', isSidechain: false, sessionId: SESSION_ID, userType: 'external', version: '2.1.39'}
  const records = [
    {...envelope, message: {content: `Deploy with AWS key ${SECRETS.aws} and commit ${ORDINARY.hash} (build ${ORDINARY.uuid})`, role: 'user'}, parentUuid: null, timestamp: '2026-03-02T09:00:00.000Z', type: 'user', uuid: 'u1'},
    {...envelope, message: {content: [{signature: 'x', thinking: `The token ${SECRETS.github} is in the prompt.`, type: 'thinking'}], id: 'msg_1', model: 'claude-sonnet-4-5', role: 'assistant', type: 'message'}, parentUuid: 'u1', timestamp: '2026-03-02T09:00:01.000Z', type: 'assistant', uuid: 'a1'},
    {...envelope, message: {content: [{id: 'toolu_1', input: {command: `curl https://deploy:${SECRETS.urlPassword}@ci.example.com/run -H 'x-api-key: ${SECRETS.anthropic}'`}, name: 'Bash', type: 'tool_use'}], id: 'msg_1', model: 'claude-sonnet-4-5', role: 'assistant', type: 'message'}, parentUuid: 'a1', timestamp: '2026-03-02T09:00:02.000Z', type: 'assistant', uuid: 'a2'},
    {...envelope, message: {content: [{content: `STRIPE_KEY=${SECRETS.stripe}\nDB_PASSWORD=${SECRETS.password}`, tool_use_id: 'toolu_1', type: 'tool_result'}], role: 'user'}, parentUuid: 'a2', timestamp: '2026-03-02T09:00:03.000Z', type: 'user', uuid: 'u2'},
    {...envelope, message: {content: [{text: 'Here is the screenshot.', type: 'text'}, {source: {data: ORDINARY.png, media_type: 'image/png', type: 'base64'}, type: 'image'}], role: 'user'}, parentUuid: 'u2', timestamp: '2026-03-02T09:00:04.000Z', type: 'user', uuid: 'u3'},
    {customTitle: `Rotate ${SECRETS.aws}`, sessionId: SESSION_ID, type: 'custom-title'},
  ]
  writeFileSync(path.join(folder, `${SESSION_ID}.jsonl`), records.map((record) => JSON.stringify(record)).join('\n') + '\n')
}

/** The text of every file an export wrote (attachments included, as base64 for binaries). */
function exportedText(folder: string): string {
  return (readdirSync(folder, {recursive: true, withFileTypes: true}) as Array<{isFile(): boolean; name: string; parentPath?: string; path?: string}>)
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.png'))
    .map((entry) => readFileSync(path.join(entry.parentPath ?? entry.path ?? folder, entry.name), 'utf8'))
    .join('\n')
}

describe('secret redaction in exports', function () {
  const config = tempDir()
  writeClaudeSession(config)
  const env = (extra: NodeJS.ProcessEnv = {}) => ({CLAUDE_CONFIG_DIR: config, HOME: tempDir(), ...extra})
  const sync = (output: string, args: string[], extra?: NodeJS.ProcessEnv) => runCli(['sync', '-a', 'claude', '-w', '/home/dev/app', '-o', output, ...args], env(extra))
  /** The options a sync of the Claude Code session into `output` runs with, as the command makes them. */
  const syncOptions = async (output: string): Promise<SyncOptions> => ({
    attachments: true, branch: null, cacheDir: null, env: env(), force: false, maxOutputChars: null, output, outputSalt: {core: '1.0.0', readers: {}, writer: 'a-writer@1.0.0'},
    readerOptions: {}, readers: [claudeReader], redact: false, subagents: true, thinking: true, tools: true, workspaces: ['/home/dev/app'], writer: markdownWriter,
  })

  for (const format of ['markdown', 'json', 'toon']) {
    it(`leaves no planted secret in the ${format} export, and ordinary text as it was`, async function () {
      const output = tempDir()
      const result = await sync(output, ['--redact', '-f', format])
      expect(result.code, result.stderr).to.equal(0)
      // Everything under the output folder: exports, index and state, and the file names.
      const text = exportedText(output) + (readdirSync(output, {recursive: true}) as string[]).join('\n')
      expect(text).to.include('.sessionsync/state.json')
      for (const [kind, secret] of Object.entries(SECRETS)) expect(text, kind).to.not.include(secret)
      expect(text).to.include('[REDACTED:aws-access-key]').and.include('[REDACTED:github-token]').and.include('[REDACTED:stripe-key]')
      for (const value of [ORDINARY.hash, ORDINARY.uuid]) expect(text).to.include(value)
      const image = (readdirSync(output, {recursive: true}) as string[]).find((file) => file.endsWith('.png'))!
      expect(readFileSync(path.join(output, image)).equals(Buffer.from(ORDINARY.png, 'base64')), 'image bytes').to.equal(true)
    })
  }

  it('exports secrets as they are without --redact (what the other tests guard against)', async function () {
    const output = tempDir()
    expect((await sync(output, ['-f', 'json'])).code).to.equal(0)
    expect(exportedText(output)).to.include(SECRETS.aws).and.include(SECRETS.password)
  })

  it('takes its default from SESSIONSYNC_REDACT, and --no-redact overrides it', async function () {
    const redacted = tempDir()
    expect((await sync(redacted, ['-f', 'json'], {SESSIONSYNC_REDACT: '1'})).code).to.equal(0)
    expect(exportedText(redacted)).to.not.include(SECRETS.aws)
    const plain = tempDir()
    expect((await sync(plain, ['-f', 'json', '--no-redact'], {SESSIONSYNC_REDACT: '1'})).code).to.equal(0)
    expect(exportedText(plain)).to.include(SECRETS.aws)
  })

  it('keeps redacting a folder exported with --redact, saying so, until a run with --no-redact', async function () {
    const output = tempDir()
    expect((await sync(output, ['--redact'])).code).to.equal(0)
    // The session changes, so the next run writes it again: without the flag, still redacted.
    const file = path.join(config, 'projects', '-home-dev-app', `${SESSION_ID}.jsonl`)
    const original = readFileSync(file, 'utf8')
    writeFileSync(file, original + JSON.stringify({sessionId: SESSION_ID, tag: 'release', type: 'tag'}) + '\n')
    try {
      const plain = await sync(output, [])
      expect(plain.stdout).to.include('1 written')
      expect(plain.stderr).to.include(`The exports in ${output} were made with --redact: secrets are replaced again (--no-redact to stop).`)
      expect(exportedText(output)).to.not.include(SECRETS.aws)
      expect((await sync(output, [])).stdout, 'still up to date').to.include('0 written')

      const unredacted = await sync(output, ['--no-redact'])
      expect(unredacted.stdout).to.include('1 written')
      expect(exportedText(output)).to.include(SECRETS.aws)
      const after = await sync(output, [])
      expect(after.stdout).to.include('0 written')
      expect(after.stderr).to.not.include('--redact')
    } finally {
      writeFileSync(file, original)
    }
  })

  it('keeps redacting when the mark is gone though no run here was told --no-redact (a shared copy of the folder brought here by git), and warns a run told --no-redact', async function () {
    const output = tempDir()
    expect((await sync(output, ['--redact'])).code).to.equal(0)
    const mark = path.join(output, '.sessionsync', 'redacted')
    rmSync(mark)
    const plain = await sync(output, [])
    expect(unwrap(plain.stderr)).to.include(`${output} was exported with --redact, but its mark of that is gone`)
    expect(exportedText(output)).to.not.include(SECRETS.aws)
    expect(existsSync(mark)).to.equal(true)

    const unredacted = await sync(output, ['--no-redact'])
    expect(unwrap(unredacted.stderr)).to.include(`${output} was exported with --redact: this run writes the secrets in clear`)
    expect(exportedText(output)).to.include(SECRETS.aws)
    // Told so once: the runs after it export as they were told.
    const after = await sync(output, ['--force'])
    expect(after.stderr).to.not.include('--redact')
    expect(exportedText(output)).to.include(SECRETS.aws)
  })

  it('is followed at every run of a watch: a sync --redact into its folder while it watches is kept', async function () {
    const output = tempDir()
    const options = await syncOptions(output)
    await runSync({...options, redactGiven: null}, quiet)
    expect(exportedText(output)).to.include(SECRETS.aws)
    await runSync({...options, redactGiven: true}, quiet)
    expect(exportedText(output)).to.not.include(SECRETS.aws)
    // The watch, told nothing of --redact, exports a change: still redacted, and the mark stays.
    const again = await runSync({...options, force: true, redactGiven: null}, quiet)
    expect(again.agents[0].written).to.equal(1)
    expect(exportedText(output)).to.not.include(SECRETS.aws)
    await runSync({...options, redactGiven: false}, quiet)
    expect(exportedText(output)).to.include(SECRETS.aws)
  })

  it('takes only a file for the mark, and leaves stats, which cannot redact, alone', async function () {
    const folder = tempDir()
    const output = path.join(folder, '.sessions')
    mkdirSync(path.join(output, '.sessionsync', 'redacted'), {recursive: true})
    expect(exportedRedacted(output)).to.equal(false)
    expect((await sync(output, ['--no-redact'])).code).to.equal(0)
    rmSync(path.join(output, '.sessionsync', 'redacted'), {recursive: true})
    expect((await sync(output, ['--redact'])).code).to.equal(0)
    expect(exportedRedacted(output)).to.equal(true)
    const stats = await runCli(['stats', '-a', 'claude', '-w', '/home/dev/app'], env(), folder)
    expect(stats.code, stats.stderr).to.equal(0)
    expect(stats.stderr).to.not.include('--redact')
  })

  it('warns, once, that switching a folder to --redact leaves the names and attachments of earlier exports', async function () {
    const output = tempDir()
    await sync(output, [])
    const switched = await sync(output, ['--redact'])
    expect(switched.stderr).to.include('holds exports made without --redact')
    expect((await sync(output, ['--redact', '--force'])).stderr).to.not.include('holds exports made without --redact')
  })

  it('says how many secrets each session had, per kind, under --verbose', async function () {
    const result = await sync(tempDir(), ['--redact', '--verbose'])
    expect(result.code, result.stderr).to.equal(0)
    const all = result.stdout + result.stderr
    expect(all).to.match(/secrets? redacted \(.*aws-access-key 2/)
    expect(result.stdout).to.match(/\d+ secrets redacted/)
  })

  it('exports again when --redact is switched on, as it changes what is written', async function () {
    const output = tempDir()
    await sync(output, ['-f', 'json'])
    const again = await sync(output, ['-f', 'json', '--redact'])
    expect(again.stdout).to.include('1 written')
    expect(exportedText(output)).to.not.include(SECRETS.aws)
  })
})
