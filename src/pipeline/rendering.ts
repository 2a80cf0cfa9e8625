import type {SessionCounts} from '../model/counts.js'
import {toExportDocument} from '../model/export-document.js'
import type {Session} from '../model/session.js'
import type {RenderContext, Writer} from '../plugin-api.js'

/**
 * What every writer is given besides the session; `linkToSession` finds the exports of related
 * sessions, `counts` are those of the session as read (see `countsOf`).
 */
export function renderContext(linkToSession: RenderContext['linkToSession'], counts: SessionCounts): RenderContext {
  return {counts, exportDocument: toExportDocument, linkToSession}
}

/** The session rendered in pieces where the writer can: a large session is then never one string. */
export function renderedPieces(writer: Writer, session: Session, context: RenderContext): Iterable<string> {
  return writer.renderPieces?.(session, context) ?? [writer.render(session, context)]
}
