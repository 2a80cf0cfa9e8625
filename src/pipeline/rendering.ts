import {toExportDocument} from '../model/export-document.js'
import type {Session} from '../model/session.js'
import type {RenderContext, Writer} from '../plugin-api.js'
import {toolCounts} from './facts.js'

/** What every writer is given besides the session; `linkToSession` finds the exports of related sessions. */
export function renderContext(linkToSession: RenderContext['linkToSession']): RenderContext {
  return {exportDocument: toExportDocument, linkToSession, toolCounts}
}

/** The session rendered in pieces where the writer can: a large session is then never one string. */
export function renderedPieces(writer: Writer, session: Session, context: RenderContext): Iterable<string> {
  return writer.renderPieces?.(session, context) ?? [writer.render(session, context)]
}
