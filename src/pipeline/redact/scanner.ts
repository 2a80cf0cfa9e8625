import {RULES} from './rules.js'

/** Replaces every secret in one string with `[REDACTED:<rule>]`, counting per rule; text after a secret within its match ("@host") is kept. */
export type StringRedactor = (text: string) => string

/** A secret found by a rule: the part replaced (`start`, `end`) and the whole match it lies in. */
export type Secret = {end: number; id: string; matchEnd: number; matchStart: number; start: number}

const NAMED_GROUP = /\(\?<([A-Za-z_]\w*)>/g
const BACKREFERENCE = /\\k<([A-Za-z_]\w*)>/g

/** All rules in one alternation so each string is scanned once; group names are prefixed per rule. */
const combined = new RegExp(
  RULES.map(
    (rule, index) =>
      `(?<r${index}>${rule.source.replace(NAMED_GROUP, `(?<r${index}_$1>`).replace(BACKREFERENCE, `\\k<r${index}_$1>`)})`,
  ).join('|'),
  'gd',
)

const SECRET_GROUPS = RULES.map((_, index) => [`r${index}_secret`, `r${index}_secret1`, `r${index}_secret2`, `r${index}_bare`])

/** The secrets of a text, in order. */
export function* secretsIn(text: string): Generator<Secret> {
  // Where the last match ended, kept here rather than in the shared expression: a caller may stop between two.
  let from = 0
  for (;;) {
    combined.lastIndex = from
    const match = combined.exec(text)
    if (match === null) return
    from = combined.lastIndex
    const index = RULES.findIndex((_, i) => match.groups![`r${i}`] !== undefined)
    const secretGroup = SECRET_GROUPS[index].find((name) => match.indices!.groups?.[name])
    const [start, end] = secretGroup ? match.indices!.groups![secretGroup]! : match.indices![0]
    yield {end, id: RULES[index].id, matchEnd: from, matchStart: match.index, start}
  }
}

/** The text up to `end` with each of `secrets` (found in it, in order, all ending by `end`) replaced. */
export function withSecretsReplaced(text: string, secrets: readonly Secret[], end: number): string {
  let output = ''
  let copiedUpTo = 0
  for (const secret of secrets) {
    output += `${text.slice(copiedUpTo, secret.start)}[REDACTED:${secret.id}]`
    copiedUpTo = secret.end
  }
  return output + text.slice(copiedUpTo, end)
}

export function createRedactor(counts: Record<string, number>): StringRedactor {
  return (text) => {
    const secrets = [...secretsIn(text)]
    if (secrets.length === 0) return text
    for (const {id} of secrets) counts[id] = (counts[id] ?? 0) + 1
    return withSecretsReplaced(text, secrets, text.length)
  }
}
