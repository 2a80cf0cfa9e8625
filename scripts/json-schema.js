// Writes the JSON Schema of the export document (what JSON and TOON exports carry), generated from its zod schema, into the JSON writer's package.
import {mkdirSync, writeFileSync} from 'node:fs'
import {z} from 'zod'
import {ExportDocumentSchema} from '../dist/model/export-document.js'

const target = new URL('../plugins/writer-json/schema/export.schema.json', import.meta.url)
mkdirSync(new URL('.', target), {recursive: true})
const schema = {...z.toJSONSchema(ExportDocumentSchema, {unrepresentable: 'any'}), title: 'sessionsync export document'}
writeFileSync(target, JSON.stringify(schema, null, 2) + '\n')
