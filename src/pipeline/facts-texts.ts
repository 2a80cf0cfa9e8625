/**
 * What an export's document read for its facts keeps of a block's string `field`, the block being
 * of a message of `role`; undefined where it keeps the value. The texts no fact is read from
 * (calls' inputs, what tools returned, thinking, the assistant's words) are left out: of the
 * blocks' texts, only those of the person's messages are kept, where the first prompt is.
 */
export function leftOutOfFacts(field: string | undefined, role: unknown): string | undefined {
  if (field === 'text') return role === 'user' ? undefined : ''
  return field === 'input' ? '{}' : undefined
}
