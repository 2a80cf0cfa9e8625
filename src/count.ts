/** "1 session", "2 sessions": counts in messages read as sentences. */
export function countOf(amount: number, noun: string, plural = `${noun}s`): string {
  return `${amount} ${amount === 1 ? noun : plural}`
}
