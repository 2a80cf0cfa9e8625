/**
 * A fenced code block that survives any content: the fence is one backtick longer than the
 * longest run of backticks inside, so content holding ``` cannot close it early. In pieces, with
 * the content as it is: a tool output of many megabytes is written without a copy of it.
 */
export function fenced(content: string, language = ''): string[] {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1))
  return [`${fence}${language}\n`, content, `${content.endsWith('\n') ? '' : '\n'}${fence}`]
}

/** One pass, no list of runs: a minified file can hold more runs than a call can take arguments. */
function longestBacktickRun(content: string): number {
  let longest = 0
  for (let start = content.indexOf('`'); start !== -1; ) {
    let end = start + 1
    while (content.charCodeAt(end) === BACKTICK) end++
    longest = Math.max(longest, end - start)
    start = content.indexOf('`', end)
  }

  return longest
}

const BACKTICK = 0x60

/** Folds long content behind a summary line, so a 5,000-line build log does not bury the conversation. */
export function foldable(summary: string, body: readonly string[], fold: boolean): string[] {
  return fold ? [`<details>\n<summary>${escapeHtml(summary)}</summary>\n\n`, ...body, '\n\n</details>'] : [`${summary}\n\n`, ...body]
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
