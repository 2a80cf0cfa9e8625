import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fromExportDocument} from '../../../src/model/export-document.js'
import type {Session} from '../../../src/model/session.js'
import {runCli, tempDir, unwrap} from '../../helpers/cli.js'
import {BRANCH, IDS, lockDatabase, type OpenCodeHome, opencodeHome, PIXEL_PNG} from './opencode-home.js'
import {blocksOf} from '../../helpers/session.js'

interface Exported {
  code: number
  stderr: string
  output: string
  /** Session files below `<output>/opencode`, `/`-separated. */
  files: string[]
  sessions: Map<string, Session>
}

async function exportOpenCode(home: OpenCodeHome, args: string[]): Promise<Exported> {
  const root = tempDir('sessionsync-opencode-cli-')
  const output = path.join(root, 'out')
  const result = await runCli(['sync', '-a', 'opencode', '-o', output, ...args], {
    ...home.env,
    SESSIONSYNC_CACHE_DIR: path.join(root, 'cache'),
    SESSIONSYNC_CONFIG_DIR: path.join(root, 'config'),
    SESSIONSYNC_DATA_DIR: path.join(root, 'data'),
  })
  const folder = path.join(output, 'opencode')
  const files = (existsSync(folder) ? readdirSync(folder, {encoding: 'utf8', recursive: true})
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => /\.(json|md)$/.test(file) && !file.includes('attachments/'))
    .sort() : [])
  const sessions = new Map<string, Session>()
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    const session = fromExportDocument(JSON.parse(readFileSync(path.join(folder, file), 'utf8')))
    sessions.set(session.id, session)
  }

  return {code: result.code, files, output: folder, sessions, stderr: result.stderr}
}

/** Every file of the data folder with a hash of its bytes. */
function snapshot(folder: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name)
        return [path.relative(folder, file), createHash('sha256').update(readFileSync(file)).digest('hex')]
      }),
  )
}

describe('OpenCode sessions exported end to end', () => {
  let home: OpenCodeHome
  beforeEach(() => {
    home = opencodeHome()
  })
  afterEach(() => home.writer.close())

  it('exports the sessions of the workspace, the subagent in a folder named after its parent', async () => {
    const {code, files, sessions, stderr} = await exportOpenCode(home, ['-w', home.workspace, '-f', 'json'])
    expect(code, stderr).to.equal(0)
    expect([...sessions.keys()].sort()).to.deep.equal([IDS.child, IDS.fork, IDS.legacy, IDS.legacyChild, IDS.main].sort())
    const mainFile = files.find((file) => file.endsWith('-deec0a1b.json'))!
    expect(mainFile).to.match(/^2026-11-25-fix-the-flaky-upload-test-deec0a1b\.json$/)
    const childFile = files.find((file) => file.endsWith('-deec0a0f.json'))!
    expect(path.posix.dirname(childFile)).to.equal(mainFile.replace(/\.json$/, ''))
    expect(sessions.get(IDS.child)).to.include({parentId: IDS.main, parentToolCallId: IDS.taskCall})
  })

  it('writes the pasted image and the image a tool read as files beside the export', async () => {
    const {output, sessions} = await exportOpenCode(home, ['-w', home.workspace, '-f', 'json'])
    const images = blocksOf(sessions.get(IDS.main)!, 'attachment')
    expect(images).to.have.length(2)
    for (const image of images) {
      expect(image).to.include({data: null, kind: 'image', mimeType: 'image/png'})
      expect(readFileSync(path.join(output, image.path!)).equals(Buffer.from(PIXEL_PNG, 'base64'))).to.equal(true)
    }
  })

  it('leaves the database, its log and its index byte for byte as they were, and adds no file beside them', async () => {
    const before = snapshot(home.data)
    expect(Object.keys(before)).to.include.members(['opencode.db', 'opencode.db-wal', 'opencode.db-shm'])
    const {code, stderr} = await exportOpenCode(home, ['-w', home.root, '-f', 'json'])
    expect(code, stderr).to.equal(0)
    expect(snapshot(home.data)).to.deep.equal(before)
  })

  it('creates no log or index beside a database OpenCode closed, and changes nothing in it', async () => {
    home.writer.close()
    const before = snapshot(home.data)
    expect(Object.keys(before)).to.not.include('opencode.db-wal')
    const {code, sessions, stderr} = await exportOpenCode(home, ['-w', home.root, '-f', 'json'])
    expect(code, stderr).to.equal(0)
    expect(sessions.size).to.equal(6)
    expect(snapshot(home.data)).to.deep.equal(before)
  })

  it('leaves the subagent out with --no-subagents, and filters on the branch read from the work tree', async () => {
    const noSubagents = await exportOpenCode(home, ['-w', home.workspace, '-f', 'json', '--no-subagents'])
    expect([...noSubagents.sessions.keys()].sort()).to.deep.equal([IDS.fork, IDS.legacy, IDS.main].sort())
    const onBranch = await exportOpenCode(home, ['-w', home.root, '-f', 'json', '--branch', BRANCH])
    expect([...onBranch.sessions.keys()].sort()).to.deep.equal([IDS.child, IDS.fork, IDS.legacy, IDS.legacyChild, IDS.main].sort())
    expect(onBranch.sessions.get(IDS.main)!.gitBranch).to.deep.equal({first: BRANCH, last: BRANCH, readAtExport: true, seen: [BRANCH]})
    const elsewhere = await exportOpenCode(home, ['-w', home.root, '-f', 'json', '--branch', 'main'])
    expect(elsewhere.files).to.deep.equal([])
  })

  it('renders Markdown with the failing command and its exit code', async () => {
    const {files, output} = await exportOpenCode(home, ['-w', home.workspace, '-f', 'markdown'])
    const markdown = readFileSync(path.join(output, files.find((file) => file.endsWith('-deec0a1b.md'))!), 'utf8')
    expect(markdown).to.include("Error (exit 2, 1 line)\n\n```\nls: cannot access '/missing-dir'")
    expect(markdown).to.include('Fix the flaky upload test')
  })

  it('exports every other session when the database is locked, and says which file was', async function () {
    this.timeout(20_000)
    const lock = lockDatabase(home)
    try {
      const {code, sessions, stderr} = await exportOpenCode(home, ['-w', home.workspace, '-f', 'json'])
      expect(unwrap(stderr)).to.include(`${home.database}: is locked by another program`)
      expect(code).to.not.equal(0)
      expect([...sessions.keys()]).to.include(IDS.legacy)
    } finally {
      lock.release()
    }
  })
})
