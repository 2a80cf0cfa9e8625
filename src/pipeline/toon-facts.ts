import {leftOutOfFacts} from './facts-texts.js'
import {DocumentBuilder, readToonDocument} from './toon-document.js'

/**
 * The export document of a TOON export, for its facts: without the texts of blocks that no fact
 * is read from (see `leftOutOfFacts`). The largest of the bench (21 MB):
 * 0.5–0.8 s and 135 MB, where the library's decode took 4.5 s and 766 MB.
 */
export function toonDocumentForFacts(file: string): unknown {
  return readToonDocument(file, (strings) => new FactsDocument(strings))
}

/** The document, leaving out the block texts `toonDocumentForFacts` says. */
export class FactsDocument extends DocumentBuilder {
  /** Each message's role, in order: a block's row names its message by index. */
  private readonly roles: unknown[] = []

  /** A primitive as kept: a row of `messages` tells its role; a row of `blocks` loses the texts no fact needs. */
  protected override kept(value: unknown): unknown {
    const leftOut = this.leftOut(value)
    const kept = typeof value === 'string' ? this.strings.restored(value, leftOut !== undefined) : value
    if (this.open.length === 3 && this.open[1].key === 'messages' && this.key === 'role') this.roles.push(kept)
    return leftOut ?? kept
  }

  /** What a block's text or input no fact is read from is kept as; undefined for any other value. */
  private leftOut(value: unknown): string | undefined {
    const [, table, row] = this.open
    if (this.open.length !== 3 || table.key !== 'blocks' || typeof value !== 'string') return undefined
    const {message} = row.container as Record<string, unknown>
    return leftOutOfFacts(this.key, typeof message === 'number' ? this.roles[message] : undefined)
  }
}
