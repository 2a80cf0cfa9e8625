import {Ajv2020} from 'ajv/dist/2020.js'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {REPO} from './cli.js'

export interface JsonSchema {
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
  description?: string
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  title?: string
}

/** A JSON Schema the build wrote, by its path in the repository. */
export function builtSchema(file: string): JsonSchema {
  return JSON.parse(readFileSync(path.join(REPO, file), 'utf8'))
}

/** Every field of the schema, nested objects and array items included, by its path (`blocks[].status`). */
export function fieldsOf(schema: JsonSchema, at = ''): Array<[string, JsonSchema]> {
  const fields: Array<[string, JsonSchema]> = []
  for (const [name, field] of Object.entries(schema.properties ?? {})) fields.push([`${at}${name}`, field], ...fieldsOf(field, `${at}${name}.`))
  if (schema.items) fields.push(...fieldsOf(schema.items, at.replace(/\.$/, '[].')))
  if (typeof schema.additionalProperties === 'object') fields.push(...fieldsOf(schema.additionalProperties, at))
  for (const branch of schema.anyOf ?? []) fields.push(...fieldsOf(branch, at))
  return fields
}

/** Why a value fails the schema, by a validator of JSON Schema 2020-12 of its own (not zod); empty when it passes. */
export function schemaErrors(schema: JsonSchema, value: unknown): string[] {
  // Union types (`["string", "null"]`) are how a nullable field is written.
  const validate = new Ajv2020({allErrors: true, allowUnionTypes: true}).compile(schema)
  return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)
}
