/** How far ahead a deletion by the agent is worth a warning. */
const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000

/** The agent will delete the session within the warning window. */
export function expiringSoon(expiresAt: string | null | undefined, now = Date.now()): boolean {
  if (!expiresAt) return false
  const time = Date.parse(expiresAt)
  return !Number.isNaN(time) && time - now <= EXPIRY_WARNING_MS
}
