import type {Session} from './model/session.js'
import type {RenderContext, Writer} from './plugin-api.js'
import {shownValue} from './shown-value.js'

/**
 * The writer as the core calls it: what `render` and `renderPieces` return is checked to be text.
 * Anything else fails the session with a message naming the plugin and what it returned, where
 * writing it would fail with an error that names neither ("pieces is not iterable").
 */
export function withOutputChecked(writer: Writer, plugin: string): Writer {
  const refused = (method: string, returned: string) => new Error(`the ${writer.format} writer of plugin ${plugin} returned ${returned} from ${method}, where text is due`)
  const checked: Writer = {
    displayName: writer.displayName,
    extension: writer.extension,
    format: writer.format,
    render(session: Session, context: RenderContext): string {
      const text: unknown = writer.render(session, context)
      if (typeof text !== 'string') throw refused('render', shownValue(text))
      return text
    },
  }
  if (writer.renderPieces) {
    checked.renderPieces = function* (session: Session, context: RenderContext): Iterable<string> {
      const pieces: unknown = writer.renderPieces!(session, context)
      if (typeof (pieces as Iterable<unknown> | null)?.[Symbol.iterator] !== 'function') throw refused('renderPieces', shownValue(pieces))
      for (const piece of pieces as Iterable<unknown>) {
        if (typeof piece !== 'string') throw refused('renderPieces', `a piece ${shownValue(piece)}`)
        yield piece
      }
    }
  }

  return checked
}
