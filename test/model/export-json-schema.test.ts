import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {EXPORT_SCHEMA_VERSION} from '../../src/model/export-document.js'
import {REPO} from '../helpers/cli.js'

interface JsonSchema {
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
  description?: string
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  title?: string
}

/** Every field of the schema, nested objects and array items included, by its path (`blocks[].status`). */
function fieldsOf(schema: JsonSchema, at = ''): Array<[string, JsonSchema]> {
  const fields: Array<[string, JsonSchema]> = []
  for (const [name, field] of Object.entries(schema.properties ?? {})) fields.push([`${at}${name}`, field], ...fieldsOf(field, `${at}${name}.`))
  if (schema.items) fields.push(...fieldsOf(schema.items, at.replace(/\.$/, '[].')))
  if (typeof schema.additionalProperties === 'object') fields.push(...fieldsOf(schema.additionalProperties, at))
  for (const branch of schema.anyOf ?? []) fields.push(...fieldsOf(branch, at))
  return fields
}

describe('JSON Schema of the export document', () => {
  const schema: JsonSchema = JSON.parse(readFileSync(path.join(REPO, 'plugins/writer-json/schema/export.schema.json'), 'utf8'))
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
