import {expect} from 'chai'
import {readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Session} from '../../src/model/session.js'
import type {Writer} from '../../src/plugin-api.js'
import {exportSession} from '../../src/pipeline/export-session.js'
import {OutputFolder} from '../../src/pipeline/output-folder.js'
import {fixtureSession, tempDir} from '../helpers/cli.js'

const content = {attachments: true, maxOutputChars: null, redact: false, thinking: true, tools: true}
const working: Writer = {displayName: 'Text', extension: 'txt', format: 'text', render: () => 'exported\n'}
const failing: Writer = {...working, render: () => {
  throw new Error('the writer failed')
}}

const FILE = 'example/2026-11-20-rich.txt'
const ATTACHMENTS = 'example/2026-11-20-rich/attachments'

/** The session with one more inline image, of other bytes than the fixture's. */
function withAnotherImage(session: Session): Session {
  const image = {data: Buffer.from('another image').toString('base64'), kind: 'image', mimeType: 'image/png', name: 'second.png', path: null, type: 'attachment'} as const
  return {...session, messages: [...session.messages, {...session.messages[0], blocks: [image]}]}
}

describe('exporting one session', () => {
  it('leaves nothing behind when the writer fails: not the attachments it wrote, nor their folders', async () => {
    const root = tempDir()
    const output = new OutputFolder(root)
    let failure: unknown
    await exportSession(fixtureSession('rich'), FILE, new Map(), {...content, writer: failing}, output, () => {}).catch((error: unknown) => (failure = error))
    expect((failure as Error).message).to.equal('the writer failed')
    expect(readdirSync(root)).to.deep.equal([])
  })

  it("keeps the attachments of an earlier export, and a file of the user's, when an export of the session again fails", async () => {
    const root = tempDir()
    const output = new OutputFolder(root)
    await exportSession(fixtureSession('rich'), FILE, new Map(), {...content, writer: working}, output, () => {})
    const before = readdirSync(path.join(root, ATTACHMENTS))
    writeFileSync(path.join(root, ATTACHMENTS, 'mine.txt'), 'a file of the user')
    const failed = exportSession(withAnotherImage(fixtureSession('rich')), FILE, new Map(), {...content, writer: failing}, output, () => {})
    await failed.then(() => expect.fail('the export should fail'), () => {})
    expect(readdirSync(path.join(root, ATTACHMENTS)).sort()).to.deep.equal([...before, 'mine.txt'].sort())
  })

  it('writes into a folder it took back when the session is exported again', async () => {
    const root = tempDir()
    const output = new OutputFolder(root)
    await exportSession(fixtureSession('rich'), FILE, new Map(), {...content, writer: failing}, output, () => {}).catch(() => {})
    await exportSession(fixtureSession('rich'), FILE, new Map(), {...content, writer: working}, output, () => {})
    expect(readdirSync(path.join(root, ATTACHMENTS))).to.have.length(1)
  })
})
