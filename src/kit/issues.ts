/** What a zod issue says; `input` is there only when the parse was asked for it (`reportInput`). */
interface Issue {
  readonly code?: string
  readonly input?: unknown
  readonly message: string
  readonly path: readonly PropertyKey[]
}

const SHOWN_ISSUES = 3

/**
 * Why a record or session failed its schema, on one line for a warning: the first few issues,
 * each at its path. A field that is not there reads "missing" when the parse reported inputs
 * (`{reportInput: true}`), where zod would say "expected string, received undefined".
 */
export function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, SHOWN_ISSUES).map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${isMissing(issue) ? 'missing' : issue.message}`)
  const more = issues.length - shown.length
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ')
}

function isMissing(issue: Issue): boolean {
  return issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined
}
