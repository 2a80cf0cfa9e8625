/** Text on one line (runs of white space made one space), cut to `maxLength` with an ellipsis. */
export function oneLine(text: string, maxLength: number): string {
  const line = text.replaceAll(/\s+/g, ' ').trim()
  return line.length > maxLength ? `${line.slice(0, maxLength - 1).trimEnd()}…` : line
}

/** The title of a session the agent gave none: its first prompt, on one line. */
export function titleFromPrompt(prompt: string): string {
  return oneLine(prompt, 160)
}
