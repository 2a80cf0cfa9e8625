/** When a session was last active, as the agent recorded it: its last time, else its first; '' when it recorded none (sorts last, newest first). */
export function lastActive(session: {createdAt: string | null; updatedAt: string | null}): string {
  return session.updatedAt ?? session.createdAt ?? ''
}
