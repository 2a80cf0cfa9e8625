import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import path from 'node:path'
import type {AttachmentBlock, Session} from '../../src/model/session.js'
import {extractAttachments} from '../../src/pipeline/attachments.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

describe('extractAttachments', () => {
  const attachment = (name: string | null, text: string, mimeType = 'text/plain'): AttachmentBlock => ({
    data: Buffer.from(text).toString('base64'), kind: 'file', mimeType, name, path: null, type: 'attachment',
  })

  it('names each file by its content and its name, cut before the extension, ending in neither a dot nor a space', async () => {
    const blocks = [
      attachment(`docs/${'a'.repeat(59)}. final report.txt`, 'one'),
      attachment(`${'b'.repeat(58)} .md`, 'two', 'text/markdown'),
      attachment(`${'c'.repeat(59)}😀 notes`, 'three'),
      attachment('screenshot.png', 'four', 'image/png'),
      attachment('notes v1.2 final', 'five'),
      attachment(null, 'six', 'application/pdf'),
    ]
    const session: Session = {...fixtureSession('rich'), messages: [{blocks, id: null, model: null, role: 'user', timestamp: null, usage: null}]}
    const output = new OutputFolder(tempDir())
    await extractAttachments(session, 'example/a-session.md', output, {files: [], folders: []})
    const names = readdirSync(path.join(output.root, 'example/a-session/attachments')).map((name) => name.slice(13)).sort()
    expect(names).to.deep.equal([
      `${'a'.repeat(59)}.txt`,
      `${'b'.repeat(58)}.md`,
      `${'c'.repeat(59)}.txt`,
      'notes v1.2 final.txt',
      'pdf',
      'screenshot.png',
    ])
  })
})
