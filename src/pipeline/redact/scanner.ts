import {RULES} from './rules.js'

/** Replaces every secret in one string with `[REDACTED:<rule>]`, counting per rule; text after a secret within its match ("@host") is kept. */
export type StringRedactor = (text: string) => string

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

export function createRedactor(counts: Record<string, number>): StringRedactor {
  return (text) => {
    combined.lastIndex = 0
    let output = ''
    let copiedUpTo = 0
    for (let match = combined.exec(text); match; match = combined.exec(text)) {
      const index = RULES.findIndex((_, i) => match!.groups![`r${i}`] !== undefined)
      const {id} = RULES[index]
      const secretGroup = SECRET_GROUPS[index].find((name) => match!.indices!.groups?.[name])
      const [start, end] = secretGroup ? match.indices!.groups![secretGroup]! : match.indices![0]
      output += `${text.slice(copiedUpTo, start)}[REDACTED:${id}]`
      copiedUpTo = end
      counts[id] = (counts[id] ?? 0) + 1
    }
    return copiedUpTo === 0 ? text : output + text.slice(copiedUpTo)
  }
}
