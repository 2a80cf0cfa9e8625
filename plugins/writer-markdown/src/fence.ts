/**
 * A fenced code block that survives any content: the fence is one backtick longer than the
 * longest run of backticks inside, so content holding ``` cannot close it early.
 */
export function fenced(content: string, language = ''): string {
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(Math.max(3, longestRun + 1))
  return `${fence}${language}\n${content}${content.endsWith('\n') ? '' : '\n'}${fence}`
}

/** Folds long content behind a summary line, so a 5,000-line build log does not bury the conversation. */
export function foldable(summary: string, body: string, fold: boolean): string {
  return fold ? `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>` : `${summary}\n\n${body}`
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
