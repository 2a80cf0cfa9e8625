import {expect} from 'chai'
import {EXPORT_SCHEMA_VERSION} from '../../src/model/export-document.js'
import {jsonWriter} from '../../plugins/writer-json/src/register.js'
import {countsOf} from '../../src/pipeline/facts.js'
import {renderContext} from '../../src/pipeline/rendering.js'
import {fixtureSession} from '../helpers/cli.js'
import {builtSchema, fieldsOf, schemaErrors} from '../helpers/json-schema.js'

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

  it("requires the counts of version 5, as every file of that version has them, though the code reads a document without them", () => {
    const rich = fixtureSession('rich')
    const exported = JSON.parse(jsonWriter.render(rich, renderContext(() => null, countsOf(rich))))
    expect(schemaErrors(schema, exported)).to.deep.equal([])
    const {counts: _counts, ...withoutCounts} = exported
    expect(schemaErrors(schema, withoutCounts).join('\n')).to.contain('counts')
    expect(schema.properties!.counts.required).to.include.members(['messages', 'toolCalls', 'tools'])
    expect(fields.map(([at]) => at)).to.include.members(['counts.messages', 'counts.tools', 'counts.ownTools'])
  })

  it('requires the columns of version 4 in every row, as every file of that version has them', () => {
    const [messageRow, blockRow] = [schema.properties!.messages.items!, schema.properties!.blocks.items!]
    expect(messageRow.required).to.include.members(['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'reasoningTokens', 'costUsd'])
    expect(blockRow.required).to.include.members(['status', 'exitCode', 'durationMs'])
  })
})
