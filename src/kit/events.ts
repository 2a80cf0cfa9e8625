import type {EventBlock} from '../model/session.js'

/**
 * A reply the model stopped because it reached its output token limit (Claude's `max_tokens`,
 * `length` elsewhere): marked, so a reply that ends mid-sentence is not taken for a finished one.
 * One wording for every agent.
 */
export function outputLimitEvent(): EventBlock {
  return {kind: 'output_limit', text: 'The reply stopped at the output token limit.', type: 'event'}
}
