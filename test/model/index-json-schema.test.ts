import {expect} from 'chai'
import {INDEX_SCHEMA_VERSION} from '../../src/model/index-document.js'
import {indexEntries} from '../../src/pipeline/index-entry.js'
import {builtSchema, fieldsOf, schemaErrors} from '../helpers/json-schema.js'
import {exportRecord, sessionFacts} from '../helpers/state.js'

describe('JSON Schema of index.json', () => {
  const schema = builtSchema('schema/index.schema.json')
  const [entry] = indexEntries([{exports: {markdown: exportRecord('claude/a.md')}, facts: sessionFacts('aaaa1111', {models: ['claude-sonnet-4-5'], ownTools: {Bash: 1}}), sourceGoneAt: null}])

  it('names its version in its title and says what it is', () => {
    expect(schema.title).to.equal(`sessionsync index, schemaVersion ${INDEX_SCHEMA_VERSION}`)
    expect(schema.description).to.be.a('string').and.not.be.empty
  })

  it('describes every field, those of each session and of its usage included', () => {
    const fields = fieldsOf(schema)
    expect(fields.map(([at]) => at)).to.include.members(['schemaVersion', 'sessions', 'sessions[].files', 'sessions[].sourceGoneAt', 'sessions[].usage.costUsd'])
    expect(fields.filter(([, field]) => !field.description?.trim()).map(([at]) => at)).to.deep.equal([])
  })

  it('admits a field added later within its version, and no other version or an entry missing a field', () => {
    expect(schemaErrors(schema, {schemaVersion: 1, sessions: [entry]})).to.deep.equal([])
    expect(schemaErrors(schema, {schemaVersion: 1, sessions: [{...entry, addedLater: true}], addedLater: true})).to.deep.equal([])
    expect(schemaErrors(schema, {schemaVersion: 2, sessions: [entry]})).to.not.be.empty
    const {files: _files, ...withoutFiles} = entry
    expect(schemaErrors(schema, {schemaVersion: 1, sessions: [withoutFiles]})).to.not.be.empty
  })
})
