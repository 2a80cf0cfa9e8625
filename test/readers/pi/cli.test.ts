import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fromExportDocument} from '../../../src/model/export-document.js'
import type {Session} from '../../../src/model/session.js'
import {runCli, tempDir} from '../../helpers/cli.js'
import {ABANDONED_MARKERS, IDS, piHome} from './pi-home.js'
import {blocksOf} from '../../helpers/session.js'

/** Runs `sessionsync` on a copy of the Pi fixtures; returns the exported sessions by id. */
async function exportPi(args: string[]): Promise<{output: string; files: string[]; sessions: Map<string, Session>}> {
  const {env} = piHome()
  const root = tempDir('sessionsync-pi-cli-')
  const output = path.join(root, 'out')
  const result = await runCli(['-a', 'pi', '-o', output, ...args], {
    ...env,
    SESSIONSYNC_CACHE_DIR: path.join(root, 'cache'),
    SESSIONSYNC_CONFIG_DIR: path.join(root, 'config'),
    SESSIONSYNC_DATA_DIR: path.join(root, 'data'),
  })
  expect(result.code, result.stderr).to.equal(0)
  const files = readdirSync(path.join(output, 'pi')).filter((name) => /\.(json|md)$/.test(name)).sort()
  const sessions = new Map<string, Session>()
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    const session = fromExportDocument(JSON.parse(readFileSync(path.join(output, 'pi', file), 'utf8')))
    sessions.set(session.id, session)
  }

  return {files, output, sessions}
}

describe('Pi sessions exported end to end', () => {
  it('exports the active branch of each session and nothing of the branches left behind', async () => {
    const {files, output, sessions} = await exportPi(['-w', '/', '-f', 'json'])
    expect([...sessions.keys()].sort()).to.deep.equal(Object.values(IDS).sort())
    // Named at discovery after the name the user gave it, as the export is titled.
    const treeFile = files.find((file) => file.endsWith('-6e8b7a15.json'))!
    expect(treeFile).to.match(/^2026-11-20-harden-the-build-script-/)
    const tree = sessions.get(IDS.tree)!
    const text = readFileSync(path.join(output, 'pi', treeFile), 'utf8')
    for (const marker of ABANDONED_MARKERS) expect(text).to.not.include(marker)
    expect(tree.messages.filter((message) => message.role === 'user').map((message) => message.blocks[0])).to.deep.equal([
      {text: 'Make the build script fail loudly when a step fails', type: 'text'},
      {text: 'Keep it in shell: add set -e and a trap that names the failing step', type: 'text'},
    ])
    expect(sessions.get(IDS.fork)?.forkedFrom).to.equal(IDS.tree)
  })

  it('writes the image a tool read to a file beside the export', async () => {
    const {output, sessions} = await exportPi(['-w', '/', '-f', 'json'])
    const [image] = blocksOf(sessions.get(IDS.tree)!, 'attachment')
    expect(image).to.include({data: null, kind: 'image', mimeType: 'image/png'})
    const file = path.join(output, 'pi', image.path!)
    expect(readFileSync(file).subarray(1, 4).toString()).to.equal('PNG')
  })

  it('exports the branches left behind too with --all-branches', async () => {
    const {sessions} = await exportPi(['-w', '/', '-f', 'json', '--all-branches'])
    expect(sessions.size).to.equal(6)
    const python = sessions.get(`${IDS.tree}.branch-f02b7c64`)!
    expect(python.forkedFrom).to.equal(IDS.tree)
    expect(JSON.stringify(python.messages)).to.include('PYTHON-BRANCH')
    for (const marker of ABANDONED_MARKERS) expect(JSON.stringify(sessions.get(IDS.tree)!.messages)).to.not.include(marker)
  })

  it('keeps to the workspace asked for, taken from the header cwd', async () => {
    const {sessions} = await exportPi(['-w', '/home/dev/app', '-f', 'json'])
    expect([...sessions.keys()].sort()).to.deep.equal([IDS.compacted, IDS.fork, IDS.tree].sort())
  })

  it('renders the conversation as Markdown with the failing command and no abandoned branch', async () => {
    const {files, output} = await exportPi(['-w', '/home/dev/app', '-f', 'markdown'])
    const markdown = readFileSync(path.join(output, 'pi', files.find((file) => file.startsWith('2026-11-20-'))!), 'utf8')
    expect(markdown).to.include('Command exited with code 2')
    expect(markdown).to.include('Harden the build script')
    for (const marker of ABANDONED_MARKERS) expect(markdown).to.not.include(marker)
    expect(existsSync(path.join(output, 'INDEX.md'))).to.equal(true)
  })
})
