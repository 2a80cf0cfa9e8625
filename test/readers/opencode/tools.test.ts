import {expect} from 'chai'
import {toolExchange} from '../../../plugins/reader-opencode/src/tools.js'

const START = 1_795_585_784_840

/** A `tool` part as OpenCode 1.18 stores a bash call, in the state given. */
const bashPart = (state: Record<string, unknown>) => ({callID: 'call_01', id: 'prt_01', state: {input: {command: 'make'}, ...state}, tool: 'bash', type: 'tool'})

/** A bash call that ran to its end, as the real 1.18.33 samples store one. */
const ranBash = (output: string, exit: number) => bashPart({metadata: {exit, output, truncated: false}, output, status: 'completed', time: {end: START + 21, start: START}, title: 'make'})

const outcomeOf = (part: Record<string, unknown>) => {
  const {callId: _call, output: _output, type: _type, ...outcome} = toolExchange(part).result[0] as Record<string, unknown>
  return outcome
}

describe('OpenCode reader: tool parts', () => {
  it('gives a command its exit code and the time from its start to its end, its output as it printed it', () => {
    const failed = toolExchange(ranBash('make: *** [all] Error 2\n', 2)).result[0]
    expect(failed).to.deep.equal({callId: 'call_01', durationMs: 21, exitCode: 2, isError: true, output: 'make: *** [all] Error 2\n', status: 'error', type: 'tool_result'})
    expect(outcomeOf(ranBash('ok\n', 0))).to.deep.equal({durationMs: 21, exitCode: 0, isError: false, status: 'ok'})
  })

  it('tells a tool that failed from a call the user stopped', () => {
    const notFound = bashPart({error: 'File not found: /tmp/a.md', status: 'error', time: {end: START + 11, start: START}})
    expect(outcomeOf({...notFound, tool: 'read'})).to.deep.equal({durationMs: 11, exitCode: null, isError: true, status: 'error'})
    const stopped = bashPart({error: 'Tool execution aborted', metadata: {interrupted: true, output: 'PASS a.test.ts\n'}, status: 'error', time: {end: START + 4000, start: START}})
    expect(toolExchange(stopped).result[0]).to.deep.include({durationMs: 4000, isError: true, output: 'PASS a.test.ts\n\nTool execution aborted', status: 'interrupted'})
  })

  it('gives no time to a stopped call whose start OpenCode overwrote with the moment it stopped it', () => {
    // Builds before `metadata.interrupted`, and a call stopped while still pending, store start = end.
    const stopped = bashPart({error: 'Tool execution aborted', status: 'error', time: {end: START, start: START}})
    expect(outcomeOf(stopped)).to.deep.equal({durationMs: null, exitCode: null, isError: true, status: 'interrupted'})
  })

  it('marks a call still pending or running as unfinished, keeping what a command printed so far', () => {
    const running = bashPart({metadata: {description: 'Wait', output: 'waiting\n'}, status: 'running', time: {start: START}})
    expect(toolExchange(running).result[0]).to.deep.include({durationMs: null, exitCode: null, isError: true, output: 'waiting\n', status: 'unfinished'})
    expect(toolExchange(bashPart({input: {}, raw: '{"comm', status: 'pending'})).result[0]).to.deep.include({output: '', status: 'unfinished'})
    expect(outcomeOf({callID: 'call_02', tool: 'bash', type: 'tool'})).to.deep.include({status: 'unfinished'})
  })

  it('keeps a long run of blank lines inside what a stopped command printed as it is', () => {
    const output = `first${'\n'.repeat(400_000)}last\n`
    const stopped = bashPart({error: 'Tool execution aborted', metadata: {interrupted: true, output}, status: 'error', time: {end: START + 5, start: START}})
    expect(toolExchange(stopped).result[0]).to.deep.include({output: `first${'\n'.repeat(400_000)}last\n\nTool execution aborted`})
  })
})
