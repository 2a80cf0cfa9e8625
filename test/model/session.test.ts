import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {SessionSchema} from '../../src/model/session.js'
import type {Reader} from '../../src/plugin-api.js'
import {fixtureSession, REPO} from '../helpers/cli.js'

describe('session model', () => {
  it('accepts the rich, subagent and empty fixture sessions', () => {
    for (const name of ['rich', 'subagent', 'empty']) expect(SessionSchema.safeParse(fixtureSession(name)).success, name).to.equal(true)
  })

  it('rejects an unknown role, an unknown block type and a missing id', () => {
    const rich = fixtureSession('rich')
    const badRole = {...rich, messages: [{...rich.messages[0], role: 'wizard'}]}
    const badBlock = {...rich, messages: [{...rich.messages[0], blocks: [{type: 'hologram'}]}]}
    const {id: _id, ...noId} = rich
    for (const bad of [badRole, badBlock, noId]) expect(SessionSchema.safeParse(bad).success).to.equal(false)
  })

  it('accepts a session of a reader written before copiedMessages, as not known', async () => {
    const written = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/sessions/rich.json'), 'utf8'))
    expect(written).to.not.have.property('copiedMessages')
    expect(SessionSchema.parse(written).copiedMessages).to.equal(null)
    // The contract says so too (checked by tsc -p test): a reader may leave the field out.
    const {copiedMessages: _unknown, ...withoutField} = fixtureSession('rich')
    const reader: Pick<Reader, 'read'> = {read: async () => withoutField}
    expect(SessionSchema.parse(await reader.read(null as never, null as never)).copiedMessages).to.equal(null)
  })

  it('requires a schemaVersion the code knows', () => {
    expect(SessionSchema.safeParse({...fixtureSession('rich'), schemaVersion: 2}).success).to.equal(false)
  })

  it('ships a JSON Schema of the export document generated from the zod schema', () => {
    const schema = JSON.parse(readFileSync(path.join(REPO, 'plugins/writer-json/schema/export.schema.json'), 'utf8'))
    expect(schema.required).to.include.members(['schemaVersion', 'agent', 'id', 'messages', 'blocks'])
    expect(JSON.stringify(schema.properties.blocks)).to.contain('tool_result')
  })
})
