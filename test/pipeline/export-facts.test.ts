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
        const session = {...fixtureSession(name), filesChanged: ['src/upload.ts'], forkedFrom: name === 'rich' ? 'b0000000-0000-4000-8000-00000000000b' : null}
        const {facts, file} = await exported(session, writer)
        const read = readExportFacts(writer.format, file)
        // Not in the front matter: the first request (the index needs it only where the title does not say it), and a fork's own calls.
        const unknown = {firstPrompt: null, ...(session.forkedFrom === null ? {} : {ownTools: undefined})}
        expect(read?.facts).to.deep.equal(writer.format === 'markdown' ? {...facts, ...unknown} : facts)
        expect(read?.source).to.equal(session.source.path)
      })
    }
  }

  it('reads the counts of the session as read from a Markdown export without its tools', async () => {
    const {file} = await exported(fixtureSession('rich'), markdownWriter, {tools: false})
    expect((readExportFacts('markdown', file))?.facts).to.deep.include({messages: 8, toolCalls: 3, tools: {Bash: 1, Read: 1, Task: 1}})
  })

  it('takes no export cut short, as one being written is', async () => {
    for (const writer of [jsonWriter, toonWriter]) {
      const {file} = await exported(fixtureSession('rich'), writer)
      const text = readFileSync(file, 'utf8')
      writeFileSync(file, text.slice(0, Math.floor(text.length * 0.6)))
      expect(readExportFacts(writer.format, file), writer.format).to.equal(null)
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
