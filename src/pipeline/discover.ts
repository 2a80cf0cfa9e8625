import type {SessionRef} from '../model/ref.js'
import {SessionRefSchema} from '../model/ref.js'
import type {Reader, ReaderContext} from '../plugin-api.js'

export interface Discovery {
  reader: Reader
  /** The agent's data on this machine; empty when it is not installed. */
  roots: string[]
  refs: SessionRef[]
}

/**
 * Asks one reader where its data is and which sessions it has. A reader that throws or
 * returns a malformed ref costs that ref (or that agent), never the whole run.
 */
export async function discover(reader: Reader, ctx: ReaderContext): Promise<Discovery> {
  const roots = await reader.locate(ctx)
  const refs: SessionRef[] = []
  if (roots.length === 0) return {reader, refs, roots}
  const seen = new Set<string>()
  for await (const candidate of reader.discover(roots, ctx)) {
    const parsed = SessionRefSchema.safeParse(candidate)
    if (!parsed.success) {
      ctx.warn(`skipped a session the reader described badly: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
    } else if (parsed.data.agent !== reader.agent || seen.has(parsed.data.id)) {
      ctx.debug(`ignored a duplicate or foreign session ${parsed.data.agent}/${parsed.data.id}`)
    } else {
      seen.add(parsed.data.id)
      refs.push(parsed.data)
    }
  }

  return {reader, refs, roots}
}
