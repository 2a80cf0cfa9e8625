import type {SessionCounts} from '../model/counts.js'
import {type Shaping, toExportDocument, UNSHAPED} from '../model/export-document.js'
import type {AttachmentBlock, Session} from '../model/session.js'
import type {RenderContext, Writer} from '../plugin-api.js'

/**
 * What every writer is given besides the session; `linkToSession` finds the exports of related
 * sessions, `counts` are those of the session as read (see `countsOf`), `shaping` the options the
 * export is made with (see `shapingOf`), `attachmentsLeftOut` what tools returned that it leaves
 * out (see `attachmentsLeftOut`).
 */
export function renderContext(
  linkToSession: RenderContext['linkToSession'],
  counts: SessionCounts,
  shaping: Shaping = UNSHAPED,
  attachmentsLeftOut: ReadonlyMap<string, ReadonlyArray<AttachmentBlock['kind']>> = new Map(),
): RenderContext {
  return {attachmentsLeftOut, counts, exportDocument: (session) => toExportDocument(session, shaping, counts), linkToSession, shaping}
}

/** The session rendered in pieces where the writer can: a large session is then never one string. */
export function renderedPieces(writer: Writer, session: Session, context: RenderContext): Iterable<string> {
  return writer.renderPieces?.(session, context) ?? [writer.render(session, context)]
}
