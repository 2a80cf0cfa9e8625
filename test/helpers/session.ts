import type {Block, Session} from '../../src/model/session.js'

/** Every block of one type in a session, in order. */
export function blocksOf<T extends Block['type']>(session: Session, type: T): Array<Extract<Block, {type: T}>> {
  return session.messages.flatMap((message) => message.blocks.filter((block): block is Extract<Block, {type: T}> => block.type === type))
}

/** Each tool call's name with the error flag of its result (undefined when it has none), in order. */
export function callOutcomes(session: Session): Array<[string, boolean | undefined]> {
  const results = new Map(blocksOf(session, 'tool_result').map((result) => [result.callId, result]))
  return blocksOf(session, 'tool_call').map((call) => [call.name, results.get(call.id)?.isError])
}

/** Each tool call's name with how its result says it ended: status, exit code and time, in order. */
export function callEnds(session: Session): Array<[string, ...Array<string | number | null | undefined>]> {
  const results = new Map(blocksOf(session, 'tool_result').map((result) => [result.callId, result]))
  return blocksOf(session, 'tool_call').map((call) => {
    const result = results.get(call.id)
    return [call.name, result?.status, result?.exitCode, result?.durationMs]
  })
}
