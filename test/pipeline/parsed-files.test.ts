import {expect} from 'chai'
import {mkdirSync, renameSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {DiscoveryCache} from '../../src/pipeline/discovery-cache.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {ExportState, STATE_FILE} from '../../src/pipeline/state.js'
import {tempDir} from '../helpers/cli.js'

/** What another sessionsync process does: replaces the file whole. */
function replace(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(`${file}.other`, JSON.stringify(value))
  renameSync(`${file}.other`, file)
}

const facts = (id: string) => ({agent: 'example', branch: null, createdAt: null, copiedMessages: null, filesChanged: [], firstPrompt: null, forkedFrom: null, id, messages: 1, parentId: null, summary: null, title: id, toolCalls: 0, tools: {}, updatedAt: null, workspace: null})
const exported = (id: string) => ({exports: {json: {bytes: 10, exportedAt: '2026-11-30T00:00:00.000Z', file: `example/${id}.json`, fingerprint: '1:1', host: null, optionsKey: 'k', source: null}}, facts: facts(id)})

describe('files kept parsed between runs of one process (a watch)', () => {
  it('reads the state file again once another process replaced it, and merges with what it wrote', async () => {
    const output = new OutputFolder(tempDir())
    const first = await ExportState.load(output)
    first.set('example/a', 'json', facts('a'), exported('a').exports.json)
    await first.save(output)
    // Kept parsed now; another process adds session b.
    const file = output.resolve(STATE_FILE)
    replace(file, {sessions: {'example/a': exported('a'), 'example/b': exported('b')}, version: 2})
    const second = await ExportState.load(output)
    expect([...second.all()].map(([key]) => key)).to.deep.equal(['example/a', 'example/b'])
    // While this run goes on, the other process adds c: saving keeps it.
    replace(file, {sessions: {'example/a': exported('a'), 'example/b': exported('b'), 'example/c': exported('c')}, version: 2})
    second.set('example/d', 'json', facts('d'), exported('d').exports.json)
    await second.save(output)
    expect([...(await ExportState.load(output)).all()].map(([key]) => key).sort()).to.deep.equal(['example/a', 'example/b', 'example/c', 'example/d'])
  })

  it('reads a discovery cache again once another process replaced it', async () => {
    const cacheDir = tempDir()
    const root = tempDir()
    const first = await DiscoveryCache.load(cacheDir, 'claude', '1.0.0')
    first.set('a', '1:1', 'first')
    await first.save([root])
    replace(path.join(cacheDir, 'discovery', 'claude.json'), {builtBy: '1.0.0', scopes: {[root]: {a: {fingerprint: '1:1', value: 'other'}}}, version: 2})
    expect((await DiscoveryCache.load(cacheDir, 'claude', '1.0.0')).get('a', '1:1')).to.equal('other')
  })
})
