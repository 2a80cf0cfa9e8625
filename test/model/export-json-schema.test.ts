import {expect} from 'chai'
import {EXPORT_SCHEMA_VERSION} from '../../src/model/export-document.js'
import {builtSchema, fieldsOf} from '../helpers/json-schema.js'

describe('JSON Schema of the export document', () => {
  const schema = builtSchema('plugins/writer-json/schema/export.schema.json')
  const fields = fieldsOf(schema)

  it('names its version in its title and says what it is', () => {
    expect(schema.title).to.equal(`sessionsync export document, schemaVersion ${EXPORT_SCHEMA_VERSION}`)
    expect(schema.description).to.be.a('string').and.not.be.empty
  })

  it('describes every field, the nested ones and those of message and block rows included', () => {
    const paths = fields.map(([at]) => at)
    expect(paths).to.include.members(['shaping.tools', 'gitBranch.seen', 'source.path', 'usage.costUsd', 'messages[].inputTokens', 'blocks[].status'])
    expect(fields.filter(([, field]) => !field.description?.trim()).map(([at]) => at)).to.deep.equal([])
  })

  it('requires the columns of version 4 in every row, as every file of that version has them', () => {
    const [messageRow, blockRow] = [schema.properties!.messages.items!, schema.properties!.blocks.items!]
    expect(messageRow.required).to.include.members(['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd'])
    expect(blockRow.required).to.include.members(['status', 'exitCode', 'durationMs'])
  })
})
