/**
 * The secrets --redact looks for. Each rule is a regular expression source; when it names a
 * `secret` group (or several alternatives `secret1`, `secret2`…), only that part is replaced,
 * so `KEY=value` keeps its name and `scheme://user:pass@host` keeps user and host.
 * Patterns are bounded ({m,n}) so no input makes them backtrack without end.
 */
export type RedactionRule = {id: string; source: string}

/** Case-insensitive letters for one word, since the rules share one case-sensitive expression. */
const anyCase = (word: string): string =>
  [...word].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c)).join('')

const secretNames = ['secret', 'token', 'password', 'passwd', 'api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'private_key', 'privatekey', 'credential']
  .map((word) => anyCase(word))
  .join('|')

/**
 * How far past where its match starts any rule looks, at most: the sum of a rule's bounds, with
 * its lookarounds (a private key, the longest, looks at about 20,150 characters; a JWT 16,400).
 * A rule added with a longer reach must raise it.
 */
export const LONGEST_LOOK = 32 * 1024

export const RULES: RedactionRule[] = [
  // The body stops at the next five dashes: text with many BEGIN lines and no END is then scanned
  // once, not 20,000 characters again from each of them.
  {id: 'private-key', source: String.raw`-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY-----(?:[^-]|-(?!----)){1,20000}?-----END[A-Z0-9 ]{0,40} PRIVATE KEY-----`},
  {
    id: 'aws-secret-key',
    source: String.raw`${anyCase('aws')}[A-Za-z_. -]{0,20}${anyCase('secret')}[A-Za-z_. -]{0,20}["']?\s{0,5}[=:]\s{0,5}["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
  },
  {id: 'aws-access-key', source: String.raw`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`},
  {id: 'github-token', source: String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b`},
  {id: 'gitlab-token', source: String.raw`\bglpat-[A-Za-z0-9_-]{20,255}`},
  {id: 'slack-webhook', source: String.raw`https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/]{20,200}`},
  {id: 'slack-token', source: String.raw`\bxox[baprs]-[A-Za-z0-9-]{10,255}`},
  {id: 'stripe-key', source: String.raw`\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,255}\b`},
  {id: 'anthropic-key', source: String.raw`\bsk-ant-[A-Za-z0-9_-]{20,255}`},
  // A digit somewhere keeps hyphenated words such as "sk-learn-…" out.
  {id: 'openai-key', source: String.raw`\bsk-(?=[A-Za-z0-9_-]{0,255}[0-9])(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,255}`},
  {id: 'google-api-key', source: String.raw`\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])`},
  {id: 'jwt', source: String.raw`\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}`},
  {id: 'url-password', source: String.raw`\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@"'<>]{1,256}:(?<secret>[^\s/@"'<>]{1,256})@`},
  {
    // The value must be a quoted literal, or a bare value with a digit that is no call or
    // identifier: `const token = getToken()` and `password=` stay as they are.
    id: 'secret-assignment',
    source: String.raw`(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,40}?(?:${secretNames})(?![A-Za-z0-9_])["'\`]?\s{0,5}(?:=|:)\s{0,5}(?:"(?<secret1>[^"\\\s]{1,512})"|'(?<secret2>[^'\\\s]{1,512})'|(?=(?<bare>[A-Za-z0-9_+/=.~!@#$%^&*-]{6,512}))(?=[^\d\s]{0,512}\d)\k<bare>(?![(\w]))`,
  },
]
