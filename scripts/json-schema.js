// Writes the JSON Schemas of what sessionsync writes for programs, generated from their zod schemas:
// the export document's (what JSON and TOON exports carry) into the JSON writer's package, index.json's into sessionsync's.
import {mkdirSync, writeFileSync} from 'node:fs'
import {z} from 'zod'
import {ExportDocumentSchema} from '../dist/model/export-document.js'
import {IndexDocumentSchema} from '../dist/model/index-document.js'

// The schema describes a file as it is written (`io: 'output'`), so the columns version 4 added
// (usage, `status`, `exitCode`, `durationMs`), which parse as null when absent, are required: every
// file of version 4 and later has them, and the schema admits the current version alone. A
// document of an earlier version fails it by its version, not by these columns; sessionsync reads
// it back with its own parser.
const exportSchema = z.toJSONSchema(ExportDocumentSchema, {io: 'output', unrepresentable: 'any'})
// Likewise every file of version 5 has its counts, which the zod schema leaves optional for the
// files of earlier versions that sessionsync reads as this one.
exportSchema.required.splice(exportSchema.required.indexOf('schemaVersion') + 1, 0, 'counts')
writeSchema('../plugins/writer-json/schema/export.schema.json', exportSchema)

// index.json gains fields within a version: a file with fields newer than its schema still passes it.
const open = ({jsonSchema}) => {
  if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties
}

writeSchema('../schema/index.schema.json', z.toJSONSchema(IndexDocumentSchema, {io: 'output', override: open}))

function writeSchema(path, generated) {
  const target = new URL(path, import.meta.url)
  mkdirSync(new URL('.', target), {recursive: true})
  // Title and description first, where a reader of the file looks for what it is.
  const {$schema, title, description} = generated
  writeFileSync(target, JSON.stringify({$schema, title, description, ...generated}, null, 2) + '\n')
}
