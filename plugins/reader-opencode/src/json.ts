/**
 * OpenCode's rows and files come from many versions, so every field is read defensively:
 * these guards say what is there, never what should be.
 */
export type Json = Record<string, unknown>

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** A count or cost: anything else (missing, negative, not a number) counts as zero. */
export function amount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0
}

/** OpenCode stores every time as epoch milliseconds. */
export function isoTime(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** Parses a JSON object; anything else (corrupt text, an array, a number) is an error message. */
export function parseObject(raw: string): {ok: true; value: Json} | {ok: false; reason: string} {
  try {
    const value: unknown = JSON.parse(raw)
    return isRecord(value) ? {ok: true, value} : {ok: false, reason: 'not a JSON object'}
  } catch (error) {
    return {ok: false, reason: (error as Error).message}
  }
}
