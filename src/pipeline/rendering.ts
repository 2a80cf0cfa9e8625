import type {SessionCounts} from '../model/counts.js'
import {type Shaping, toExportDocument, UNSHAPED} from '../model/export-document.js'
import type {Session} from '../model/session.js'
import type {RenderContext, Writer} from '../plugin-api.js'

/**
 * What every writer is given besides the session; `linkToSession` finds the exports of related
 * sessions, `counts` are those of the session as read (see `countsOf`), `shaping` the options the
 * export is made with (see `shapingOf`).
 */
export function renderContext(linkToSession: RenderContext['linkToSession'], counts: SessionCounts, shaping: Shaping = UNSHAPED): RenderContext {
  return {counts, exportDocument: (session) => toExportDocument(session, shaping), linkToSession, shaping}
}

/** The session rendered in pieces where the writer can: a large session is then never one string. */
export function renderedPieces(writer: Writer, session: Session, context: RenderContext): Iterable<string> {
  return writer.renderPieces?.(session, context) ?? [writer.render(session, context)]
}
