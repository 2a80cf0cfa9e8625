/**
 * A copy of a document of plain objects, arrays and primitives whose strings, keys included,
 * have U+FFFD for each unpaired surrogate.
 */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.toWellFormed()
  if (Array.isArray(value)) return value.map(wellFormed)
  if (value === null || typeof value !== 'object') return value
  // fromEntries defines each field, so a `__proto__` key stays a field.
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key.toWellFormed(), wellFormed(field)]))
}
