import {decode, encode} from '@toon-format/toon'
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {markdownWriter} from '../../plugins/writer-markdown/src/register.js'
import {toonWriter} from '../../plugins/writer-toon/src/register.js'
import type {Session} from '../../src/model/session.js'
import type {Writer} from '../../src/plugin-api.js'
import {exportSession} from '../../src/pipeline/export-session.js'
import {readExportFacts} from '../../src/pipeline/export-facts.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

const content = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}

/** Exports the session with the real writer; what the sync recorded of it, and the file. */
async function exported(session: Session, writer: Writer, shaping: Partial<typeof content> = {}) {
  const output = new OutputFolder(tempDir())
  const file = `example/2026-11-20-session.${writer.extension}`
  const {facts} = await exportSession(session, file, new Map([[session.parentId ?? '', 'example/2026-11-20-parent.md']]), {...content, ...shaping, writer}, output, () => {})
  return {facts, file: output.resolve(file)}
}

describe('the facts of a session read back from its export', () => {
  for (const writer of [markdownWriter, jsonWriter, toonWriter]) {
    for (const name of ['rich', 'subagent', 'empty']) {
      it(`reads from a ${writer.displayName} export of the ${name} session what its sync recorded`, async () => {
        // The rich session as a fork that copied its first two messages, and with them a call.
        const session = {...fixtureSession(name), filesChanged: ['src/upload.ts'], ...(name === 'rich' && {copiedMessages: 2, forkedFrom: 'b0000000-0000-4000-8000-00000000000b'})}
        const {facts, file} = await exported(session, writer)
        const read = readExportFacts(writer.format, file)
        // Not before the messages: the first request (the index needs it only where the title does not say it).
        expect(read?.facts).to.deep.equal({...facts, firstPrompt: null})
        if (name === 'rich') expect(read?.facts.ownTools).to.deep.equal({Task: 1})
        expect(read?.source).to.equal(session.source.path)
      })
    }

    it(`reads the counts of the session as read from a ${writer.displayName} export without its tools`, async () => {
      const {file} = await exported(fixtureSession('rich'), writer, {tools: false})
      expect(readExportFacts(writer.format, file)?.facts).to.deep.include({messages: 8, toolCalls: 3, tools: {Bash: 1, Read: 1, Task: 1}})
    })
  }

  it('reads a JSON or TOON export no further than its metadata: a file cut short there gives all its facts, one cut before its end none', async () => {
    for (const writer of [jsonWriter, toonWriter]) {
      const {facts, file} = await exported(fixtureSession('rich'), writer)
      const text = readFileSync(file, 'utf8')
      const tables = writer === jsonWriter ? '\n  "messages": [\n' : '\nmessages['
      writeFileSync(file, text.slice(0, text.indexOf(tables) + tables.length + 2))
      expect(readExportFacts(writer.format, file)?.facts, writer.format).to.deep.equal({...facts, firstPrompt: null})
      writeFileSync(file, text.slice(0, text.indexOf('workspace')))
      expect(readExportFacts(writer.format, file), writer.format).to.equal(null)
    }
  })

  it('reads the facts of titles that spell where the tables of a JSON or TOON export begin', async () => {
    for (const title of ['A title\n  "messages": [', 'A title\nmessages[2]{id}:\n  a']) {
      for (const writer of [jsonWriter, toonWriter]) {
        const {facts, file} = await exported({...fixtureSession('rich'), title}, writer)
        expect(readExportFacts(writer.format, file)?.facts, `${writer.format}: ${title}`).to.deep.equal({...facts, firstPrompt: null})
      }
    }
  })

  it('reads the metadata of a JSON or TOON export whose line breaks were made Windows ones (a checkout by git with autocrlf)', async () => {
    for (const writer of [jsonWriter, toonWriter]) {
      const {facts, file} = await exported(fixtureSession('rich'), writer, {tools: false})
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('\n', '\r\n'))
      expect(readExportFacts(writer.format, file)?.facts, writer.format).to.deep.equal({...facts, firstPrompt: null})
    }
  })

  it('reads a metadata longer than the first read of its start, and one longer than the second to the end, without its tools', async () => {
    for (const [files, whole] of [[3000, false], [12_000, true]] as const) {
      const filesChanged = Array.from({length: files}, (_, index) => `src/a-rather-long-folder-name/module-${index}.ts`)
      for (const writer of [jsonWriter, toonWriter]) {
        const {facts, file} = await exported({...fixtureSession('rich'), filesChanged}, writer, {tools: false})
        const read = readExportFacts(writer.format, file)?.facts
        expect(read, `${writer.format}: ${files} files`).to.deep.include({...facts, firstPrompt: read?.firstPrompt})
        expect(read?.firstPrompt === null, `${writer.format}: ${files} files`).to.equal(!whole)
      }
    }
  })

  it('counts what a document written before version 5 holds, which has no counts', async () => {
    for (const writer of [jsonWriter, toonWriter]) {
      const {file} = await exported(fixtureSession('rich'), writer, {tools: false})
      const document = JSON.parse(writer === jsonWriter ? readFileSync(file, 'utf8') : JSON.stringify(decode(readFileSync(file, 'utf8'))))
      const {counts: _counts, ...older} = {...document, schemaVersion: 4}
      writeFileSync(file, writer === jsonWriter ? JSON.stringify(older, null, 2) : encode(older))
      // Without its tools, the calls that started a subagent are all it holds.
      const read = readExportFacts(writer.format, file)?.facts
      expect(read, writer.format).to.deep.include({toolCalls: 1, tools: {Task: 1}})
      // Read to its end: its first request with it.
      expect(read?.firstPrompt).to.match(/^The upload test fails sometimes/)
    }
  })

  it("takes no user's file for an export: without front matter, without an agent or an id, or not a document", async () => {
    const folder = tempDir()
    const files = {
      'notes.md': '# My notes\n\nagent: claude\n',
      'no-id.md': '---\nagent: claude\ntitle: Notes\n---\n# Notes\n',
      'unclosed.md': '---\nagent: claude\nid: abc\n',
      'broken.md': '---\nagent: [claude\nid: abc\n---\n',
      'data.json': '{"agent": "claude", "id": "abc"}\n',
      'half.json': '{"schemaVersion": 3, "agent": "claude"',
      'tables.json': '{\n  "schemaVersion": 5,\n  "agent": "claude",\n  "id": "abc",\n  "messages": []\n}\n',
      'tables.toon': 'schemaVersion: 5\nagent: claude\nid: abc\nmessages[0]:\n',
      'data.toon': 'agent: claude\nid: abc\n',
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text)
    for (const name of Object.keys(files)) {
      const format = {json: 'json', md: 'markdown', toon: 'toon'}[path.extname(name).slice(1)]!
      expect(readExportFacts(format, path.join(folder, name)), name).to.equal(null)
    }

    // Nor a file that is not there, or not a file: a TOON export is read as a stream, whose errors must end the read.
    expect(readExportFacts('markdown', path.join(folder, 'absent.md'))).to.equal(null)
    for (const format of ['json', 'toon']) expect(readExportFacts(format, path.join(folder, `absent.${format}`)), format).to.equal(null)
    expect(readExportFacts('toon', folder)).to.equal(null)
  })
})
