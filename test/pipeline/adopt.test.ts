import {expect} from 'chai'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import type {Session} from '../../src/model/session.js'
import type {Writer} from '../../src/plugin-api.js'
import {ADOPTED, adoptExports} from '../../src/pipeline/adopt.js'
import {exportSession} from '../../src/pipeline/export-session.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {HOST_TAG, UNKNOWN_HOST} from '../../src/pipeline/runs.js'
import {ExportState} from '../../src/pipeline/state.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

const content = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}
const PARENT = 'example/2026-11-20-fix-the-flaky-upload-test-7f3c2a10'
const SUBAGENT = `${PARENT}/2026-11-20-search-for-timers-agent-a1.md`

async function write(output: OutputFolder, session: Session, file: string, writer: Writer = markdownWriter): Promise<void> {
  await exportSession(session, file, new Map(), {...content, writer}, output, () => {})
}

/** The folder as a run finds it: one that wrote there lists each folder as it was before. */
const atNextRun = (output: OutputFolder) => new OutputFolder(output.root)

/** A folder with a session (its attachments too), its subagent, and its JSON export, and no state. */
async function folderWithoutState(): Promise<{output: OutputFolder; rich: Session}> {
  const output = new OutputFolder(tempDir())
  const rich = fixtureSession('rich')
  await write(output, rich, `${PARENT}.md`)
  await write(output, rich, `${PARENT}.json`, jsonWriter)
  await write(output, fixtureSession('subagent'), SUBAGENT)
  return {output: atNextRun(output), rich}
}

describe('exports in the output folder that its state does not name', () => {
  it('are taken into the state with the facts they hold, each of its format, a fingerprint no source has', async () => {
    const {output, rich} = await folderWithoutState()
    const state = await ExportState.load(output)
    expect(await adoptExports(state, output)).to.equal(3)
    expect([...state.files('markdown').values()].sort()).to.deep.equal([`${PARENT}.md`, SUBAGENT])
    expect([...state.files('json').values()]).to.deep.equal([`${PARENT}.json`])
    const session = state.session(`example/${rich.id}`)!
    expect(session.facts).to.deep.include({agent: 'example', branch: 'fix/upload', id: rich.id, messages: 8, title: rich.title, toolCalls: 3})
    expect(session.exports.markdown).to.deep.include({fingerprint: ADOPTED, optionsKey: ADOPTED, source: rich.source.path})
    expect(session.exports.markdown.bytes).to.be.greaterThan(0)
    expect(session.sourceGoneAt).to.equal(null)
    expect(await adoptExports(state, output), 'nothing left to adopt').to.equal(0)
  })

  it('are read one a turn of the event loop, so that a Ctrl-C is heard while thousands are', async () => {
    const {output} = await folderWithoutState()
    const state = await ExportState.load(output)
    let turns = 0
    let adopting = true
    const turn = () => {
      turns++
      if (adopting) setImmediate(turn)
    }

    setImmediate(turn)
    const adopted = await adoptExports(state, output)
    adopting = false
    expect(adopted).to.equal(3)
    expect(turns).to.be.at.least(adopted)
  })

  it("are this machine's when their source's folder is here, of an unknown one otherwise", async () => {
    const {output, rich} = await folderWithoutState()
    const here = tempDir()
    const source = path.join(here, 'sessions', 'mine.jsonl')
    mkdirSync(path.dirname(source))
    await write(output, {...fixtureSession('empty'), id: 'mine', source: {agentVersion: null, path: source}}, 'example/2026-11-21-mine-mine.md')
    const state = await ExportState.load(output)
    await adoptExports(state, atNextRun(output))
    expect(state.get('example/mine', 'markdown')?.host).to.equal(HOST_TAG)
    expect(state.get(`example/${rich.id}`, 'markdown')?.host).to.equal(UNKNOWN_HOST)
  })

  it("leave a user's file alone, and a file of another agent's folder, and look in no attachments folder", async () => {
    const output = new OutputFolder(tempDir())
    const rich = fixtureSession('rich')
    await write(output, rich, `other/2026-11-20-copied-7f3c2a10.md`)
    mkdirSync(output.resolve('example'))
    writeFileSync(output.resolve('example/2026-11-20-my-notes.md'), '# Notes\n')
    writeFileSync(output.resolve('example/notes.md'), '---\nagent: example\nid: notes\n---\n')
    await write(output, rich, `${PARENT}.md`)
    await write(output, {...rich, id: 'inside'}, `${PARENT}/attachments/2026-11-20-x-inside.md`)
    const state = await ExportState.load(output)
    expect(await adoptExports(state, atNextRun(output))).to.equal(1)
    expect([...state.all()].map(([key]) => key)).to.deep.equal([`example/${rich.id}`])
    expect(state.get(`example/${rich.id}`, 'markdown')?.file).to.equal(`${PARENT}.md`)
  })

  it('keep what the state knows of a session, and give it no second file of a format the state names', async () => {
    const {output, rich} = await folderWithoutState()
    const state = await ExportState.load(output)
    const facts = {agent: 'example', branch: null, copiedMessages: null, createdAt: null, filesChanged: [], firstPrompt: null, forkedFrom: null, id: rich.id, messages: 99, parentId: null, summary: null, title: 'As recorded', toolCalls: 0, tools: {}, updatedAt: null, workspace: null}
    state.set(`example/${rich.id}`, 'markdown', facts, {bytes: 1, exportedAt: '2026-11-20T10:00:00.000Z', file: `${PARENT}.md`, fingerprint: 'f', host: HOST_TAG, optionsKey: 'o', source: null})
    await write(output, rich, 'example/2026-11-20-an-older-copy-7f3c2a10.md')
    expect(await adoptExports(state, atNextRun(output))).to.equal(2)
    const session = state.session(`example/${rich.id}`)!
    expect(session.facts.title).to.equal('As recorded')
    expect(session.exports.markdown.file).to.equal(`${PARENT}.md`)
    expect(session.exports.json.file).to.equal(`${PARENT}.json`)
  })
})
