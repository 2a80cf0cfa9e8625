import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'chai'
import {ConversationRecordSchema} from '../../../plugins/reader-claude/src/records.js'
import {readToolResult} from '../../../plugins/reader-claude/src/tool-results.js'
import {tempDir} from '../../helpers/cli.js'
import {readerContext} from '../../helpers/reader-context.js'

const outputOf = async (content: string, sessionFolder = '/nonexistent') =>
  (await readToolResult({content, tool_use_id: 'toolu_01', type: 'tool_result'}, undefined, sessionFolder, readerContext({HOME: '/nonexistent'}))).blocks[0]

describe('Claude Code reader: tool results', () => {
  it('reads an output Claude Code moved into tool-results/ back in place of its stub', async () => {
    const session = tempDir()
    mkdirSync(path.join(session, 'tool-results'))
    writeFileSync(path.join(session, 'tool-results', 'toolu_01.txt'), 'the whole build log')
    const stub = `<persisted-output>\nOutput too large (52.1KB). Full output saved to: /home/u/.claude/projects/p/s/tool-results/toolu_01.txt\n\nPreview (first 2KB):\nthe whole\n</persisted-output>`
    expect(await outputOf(stub, session)).to.deep.include({
      output: '[The model was shown a preview of this output (first 2KB); Claude Code kept the whole of it in tool-results/toolu_01.txt, shown here.]\nthe whole build log',
    })
  })

  it("reads an output Claude Code moved into tool-results/ back by its structured result's path, when the text has no stub", async () => {
    const session = tempDir()
    mkdirSync(path.join(session, 'tool-results'))
    writeFileSync(path.join(session, 'tool-results', 'bq1x7k2m.txt'), 'line 1\nline 2\nline 3')
    // A shell command's structured result as the record holds it (Bash's output schema), parsed as the reader parses the record.
    const toolUseResult = ConversationRecordSchema.shape.toolUseResult.parse({
      interrupted: false, isImage: false, noOutputExpected: false, persistedOutputPath: '/home/u/.claude/projects/-home-u-app/s/tool-results/bq1x7k2m.txt', persistedOutputSize: 20, stderr: '', stdout: 'line 1',
    })
    const read = await readToolResult({content: 'line 1', tool_use_id: 'toolu_01', type: 'tool_result'}, toolUseResult, session, readerContext({HOME: '/nonexistent'}))
    expect(read.blocks[0]).to.deep.include({output: '[The model was shown a preview of this output; Claude Code kept the whole of it in tool-results/bq1x7k2m.txt, shown here.]\nline 1\nline 2\nline 3'})
  })

  it('keeps an output that lists stub tags leading nowhere as it is, however many (a grep through transcripts)', async () => {
    const listing = 'session.jsonl: <persisted-output>\n'.repeat(200_000).trim()
    expect(await outputOf(listing)).to.deep.include({output: listing})
  })

  it('takes the subagent a report names in its closing metadata, not one its text mentions', async () => {
    const resultOf = (text: string) => readToolResult({content: [{text, type: 'text'}], tool_use_id: 'toolu_01', type: 'tool_result'}, undefined, '/nonexistent', readerContext({HOME: '/nonexistent'}))
    const tail = 'agentId: a3f29c1d7e8b4a60 (for resuming to continue this agent\'s work if needed)\n<usage>total_tokens: 1800\ntool_uses: 1\nduration_ms: 2300</usage>'
    const mentioned = `Found it in the log:\nagentId: b0000000000000ff\n${'more findings\n'.repeat(1000)}`
    expect((await resultOf(`${mentioned}\n${tail}`)).agentId).to.equal('a3f29c1d7e8b4a60')
    expect((await resultOf(mentioned)).agentId).to.equal(null)
    expect((await resultOf('Async agent launched successfully.\nagentId: c1 (use SendMessage to talk to it)')).agentId).to.equal('c1')
  })
})
