import {expect} from 'chai'
import {ConversationRecordSchema} from '../../../plugins/reader-claude/src/records.js'
import {readToolResult} from '../../../plugins/reader-claude/src/tool-results.js'
import {readerContext} from '../../helpers/reader-context.js'

/** A tool_result block and the record's `toolUseResult`, shaped as Claude Code 2.1 writes them. */
const outcomeOf = async (block: Record<string, unknown>, toolUseResult: unknown) => {
  // What a user record keeps of its `toolUseResult`, as the reader parses the record.
  const kept = ConversationRecordSchema.shape.toolUseResult.parse(toolUseResult)
  const [result] = (await readToolResult({tool_use_id: 'toolu_01', type: 'tool_result', ...block}, kept, '/nonexistent', readerContext({HOME: '/nonexistent'}))).blocks
  const {callId: _call, output: _output, type: _type, ...outcome} = result as Record<string, unknown>
  return outcome
}

const BASH = {interrupted: false, isImage: false, noOutputExpected: false, stderr: ''}

describe('Claude Code reader: how a tool call ended', () => {
  it('is ok without an exit code when the command succeeded: Claude Code records none then', async () => {
    expect(await outcomeOf({content: 'conformance-shell-ok', is_error: false}, {...BASH, stdout: 'conformance-shell-ok'})).to.deep.equal({durationMs: null, exitCode: null, isError: false, status: 'ok'})
  })

  it("takes a failed command's exit code from the first line of its result", async () => {
    const failed = "Exit code 2\nls: cannot access '/conformance-missing-dir': No such file or directory"
    expect(await outcomeOf({content: failed, is_error: true}, `Error: ${failed}`)).to.deep.equal({durationMs: null, exitCode: 2, isError: true, status: 'error'})
    // Only an error's first line: a file that was read may hold such a line.
    expect(await outcomeOf({content: 'Exit code 2\nin the notes', is_error: false}, {file: {}, type: 'text'})).to.include({exitCode: null, status: 'ok'})
    expect(await outcomeOf({content: 'File does not exist.', is_error: true}, 'Error: File does not exist.')).to.include({exitCode: null, status: 'error'})
  })

  it('marks a command the user stopped, and a call cancelled before it returned, as interrupted', async () => {
    const stopped = 'npm test\n<error>Command was aborted before completion</error>'
    expect(await outcomeOf({content: stopped, is_error: true}, {...BASH, interrupted: true, stdout: 'npm test'})).to.deep.equal({durationMs: null, exitCode: null, isError: true, status: 'interrupted'})
    const cancel = "The user doesn't want to take this action right now. STOP what you are doing and wait for the user to tell you how to proceed."
    expect(await outcomeOf({content: cancel, is_error: true}, cancel)).to.include({isError: true, status: 'interrupted'})
    expect(await outcomeOf({content: [{text: '[Request interrupted by user for tool use]', type: 'text'}], is_error: true}, undefined)).to.include({status: 'interrupted'})
  })

  it('leaves a call the user declined at the permission prompt an error: it did not run, nobody stopped it', async () => {
    const declined = "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."
    expect(await outcomeOf({content: declined, is_error: true}, `Error: ${declined}`)).to.include({status: 'error'})
  })

  it('takes the time a tool recorded of itself: a subagent its total, a search its own', async () => {
    const agent = {agentId: 'ab1a7a0de078ce07b', content: [{text: 'Done.', type: 'text'}], status: 'completed', totalDurationMs: 114, totalTokens: 150, totalToolUseCount: 1}
    expect(await outcomeOf({content: [{text: 'Done.', type: 'text'}]}, agent)).to.include({durationMs: 114, status: 'ok'})
    expect(await outcomeOf({content: 'src/a.ts'}, {durationMs: 12, filenames: ['src/a.ts'], numFiles: 1, truncated: false})).to.include({durationMs: 12})
  })
})
