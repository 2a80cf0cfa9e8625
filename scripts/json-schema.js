// Writes the JSON Schema of the session model, generated from the zod schema, into the JSON writer's package.
import {mkdirSync, writeFileSync} from 'node:fs'
import {z} from 'zod'
import {SessionSchema} from '../dist/model/session.js'

const target = new URL('../plugins/writer-json/schema/session.schema.json', import.meta.url)
mkdirSync(new URL('.', target), {recursive: true})
const schema = {...z.toJSONSchema(SessionSchema, {unrepresentable: 'any'}), title: 'sessionsync session'}
writeFileSync(target, JSON.stringify(schema, null, 2) + '\n')
