/** "1 session", "2 sessions": counts in messages read as sentences. */
export function countOf(amount: number, noun: string): string {
  return `${amount} ${noun}${amount === 1 ? '' : 's'}`
}
