import {expect} from 'chai'
import {toolExchange} from '../../../plugins/reader-opencode/src/tools.js'

/** A `tool` part as OpenCode 1.18 stores it for a bash call that ran and failed. */
const failedBash = (output: string) => ({
  callID: 'call_01',
  id: 'prt_01',
  state: {input: {command: 'make'}, metadata: {exit: 2, output}, output, status: 'completed', time: {end: 2, start: 1}, title: 'make'},
  tool: 'bash',
  type: 'tool',
})

describe('OpenCode reader: tool parts', () => {
  it('ends a failed command\'s output with its exit code, after one blank line', () => {
    expect(toolExchange(failedBash('make: *** [all] Error 2\n\n\n')).result[0]).to.deep.include({isError: true, output: 'make: *** [all] Error 2\n\nExit code 2'})
  })

  it('keeps a long run of blank lines inside an output as it is', () => {
    const output = `first${'\n'.repeat(400_000)}last\n`
    expect(toolExchange(failedBash(output)).result[0]).to.deep.include({output: `first${'\n'.repeat(400_000)}last\n\nExit code 2`})
  })
})
