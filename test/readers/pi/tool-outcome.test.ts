import {expect} from 'chai'
import {toolOutcome} from '../../../plugins/reader-pi/src/tool-outcome.js'

describe('Pi reader: how a tool call ended', () => {
  it("takes a failed command's exit code from the line Pi's bash tool ends its output with", () => {
    const output = "ls: cannot access '/conformance-missing-dir': No such file or directory\n\n\nCommand exited with code 2"
    expect(toolOutcome(true, output, undefined)).to.deep.equal({durationMs: null, exitCode: 2, isError: true, status: 'error'})
    expect(toolOutcome(true, '(no output)\n\nCommand exited with code 127', undefined)).to.include({exitCode: 127})
    expect(toolOutcome(false, 'conformance-shell-ok\n', undefined)).to.deep.equal({durationMs: null, exitCode: null, isError: false, status: 'ok'})
    // The line counts only at the end of an error: a successful output may quote it.
    expect(toolOutcome(false, 'Command exited with code 2', undefined)).to.include({exitCode: null, status: 'ok'})
    expect(toolOutcome(true, 'Command exited with code 2\nthen more', undefined)).to.include({exitCode: null, status: 'error'})
  })

  it('marks a command the user killed, a tool stopped, a call skipped for a message sent meanwhile as interrupted', () => {
    expect(toolOutcome(true, 'Compiling…\n\nCommand aborted', undefined)).to.deep.equal({durationMs: null, exitCode: null, isError: true, status: 'interrupted'})
    expect(toolOutcome(true, 'Command aborted', undefined)).to.include({status: 'interrupted'})
    expect(toolOutcome(true, 'Operation aborted', undefined)).to.include({status: 'interrupted'})
    expect(toolOutcome(true, 'Skipped due to queued user message.', undefined)).to.include({status: 'interrupted'})
    expect(toolOutcome(true, 'Command timed out after 30 seconds', undefined)).to.include({status: 'error'})
  })

  it('takes how long the tool ran from Pi 1.x, and nothing that is not a time', () => {
    expect(toolOutcome(false, 'ok', 48)).to.deep.equal({durationMs: 48, exitCode: null, isError: false, status: 'ok'})
    expect(toolOutcome(true, 'Command aborted', 0)).to.include({durationMs: 0, status: 'interrupted'})
    for (const notATime of [undefined, null, -1, Number.NaN, Number.POSITIVE_INFINITY, '48', {}]) expect(toolOutcome(false, 'ok', notATime)).to.include({durationMs: null})
  })
})
