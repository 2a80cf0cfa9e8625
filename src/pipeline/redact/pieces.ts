import {LONGEST_LOOK} from './rules.js'
import {createRedactor, type Secret, secretsIn, withSecretsReplaced} from './scanner.js'

/**
 * Pieces of whole lines (a file read a piece at a time), redacted as their whole text would be,
 * without holding it: a secret that starts further than any rule looks from the end of the text
 * held is found whole, so what comes before is final, up to a line's start.
 */
export function* redactedPieces(pieces: Iterable<string>): Generator<string> {
  let held = ''
  for (const piece of pieces) {
    held += piece
    // Scanned once twice the reach is held, so that most of what is scanned is final.
    if (held.length < 2 * LONGEST_LOOK) continue
    const cut = finalCut(held)
    if (cut === null) continue
    yield withSecretsReplaced(held, cut.secrets, cut.at)
    held = held.slice(cut.at)
  }

  if (held.length > 0) yield createRedactor({})(held)
}

/**
 * Where the held text can be cut: at a line's start that no secret runs past, and before which
 * every secret starts further than any rule looks from the end; null when there is none yet.
 * Scanning resumes there with a line break before it, as the whole text would be.
 */
function finalCut(text: string): {at: number; secrets: Secret[]} | null {
  const safe = text.length - LONGEST_LOOK
  let at = text.lastIndexOf('\n', safe - 1) + 1
  if (at === 0) return null
  const secrets: Secret[] = []
  for (const secret of secretsIn(text)) {
    if (secret.matchStart >= at) break
    secrets.push(secret)
    if (secret.matchEnd <= at) continue
    // A secret across the cut: cut after its line, if no further than is final.
    at = text.indexOf('\n', secret.matchEnd) + 1
    if (at === 0 || at > safe) return null
  }

  return {at, secrets}
}
