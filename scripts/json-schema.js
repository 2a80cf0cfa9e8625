// Writes the JSON Schema of the export document (what JSON and TOON exports carry), generated from its zod schema, into the JSON writer's package.
import {mkdirSync, writeFileSync} from 'node:fs'
import {z} from 'zod'
import {ExportDocumentSchema} from '../dist/model/export-document.js'

const target = new URL('../plugins/writer-json/schema/export.schema.json', import.meta.url)
mkdirSync(new URL('.', target), {recursive: true})
// The schema describes a file as it is written (`io: 'output'`), so the columns version 4 added
// (usage, `status`, `exitCode`, `durationMs`), which parse as null when absent, are required: every
// file of version 4 has them, and the schema admits that version alone (`schemaVersion` is 4). A
// document of version 3 fails it by its version, not by these columns; sessionsync reads it back
// with its own parser.
const generated = z.toJSONSchema(ExportDocumentSchema, {io: 'output', unrepresentable: 'any'})
// Title and description first, where a reader of the file looks for what it is.
const {$schema, title, description} = generated
writeFileSync(target, JSON.stringify({$schema, title, description, ...generated}, null, 2) + '\n')
