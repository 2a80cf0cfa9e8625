import {stringify} from 'yaml'

/** A key and a string YAML writes as they are: no quoting, no escaping, not read back as a number or a boolean. */
const PLAIN_KEY = /^[A-Za-z_][\w-]*$/
const PLAIN_STRING = /^[A-Za-z_/][\w ./,()=+@-]*$/
const NOT_A_STRING = /^(?:true|false|yes|no|on|off|y|n|null)$/i

/**
 * A tool call's input as YAML. Most inputs are a few plain strings and numbers (a path, a
 * pattern, a description); they are written directly, exactly as the YAML library writes
 * them, which is the slowest step of a Markdown export. Anything else goes to the library.
 */
export function toolInputYaml(input: unknown): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return library(input)
  const lines: string[] = []
  for (const [key, value] of Object.entries(input)) {
    const scalar = plainScalar(value)
    if (scalar === null || !PLAIN_KEY.test(key) || NOT_A_STRING.test(key)) return library(input)
    lines.push(`${key}: ${scalar}`)
  }

  return lines.length > 0 ? lines.join('\n') : library(input)
}

function plainScalar(value: unknown): string | null {
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isSafeInteger(value))) return String(value)
  if (typeof value === 'string' && PLAIN_STRING.test(value) && !value.endsWith(' ') && !value.includes('  ') && !NOT_A_STRING.test(value)) return value
  return null
}

function library(input: unknown): string {
  return stringify(input, {lineWidth: 0}).trimEnd()
}
