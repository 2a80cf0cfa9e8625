import {expect} from 'chai'
import {cpSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {longStringsOf} from '../../../plugins/reader-claude/src/long-strings.js'
import {ConversationRecordSchema} from '../../../plugins/reader-claude/src/records.js'
import {skimmedAttachment, skimmedToolResult} from '../../../plugins/reader-claude/src/skim.js'
import {tempDir} from '../../helpers/cli.js'
import {claudeContext, FIXTURE, readSession, REAL_SAMPLES, SESSION} from './helpers.js'

/** Every line Claude Code 2.1.332 wrote in the conformance samples. */
function sampleLines(): string[] {
  const folder = path.join(REAL_SAMPLES, 'projects', '-tmp-conformance-claude-workspace')
  return readdirSync(folder, {recursive: true})
    .map(String)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) => readFileSync(path.join(folder, name), 'utf8').split('\n').filter(Boolean))
}

const PAYLOAD = 'x'.repeat(9000)

describe('Claude Code reader: skimming large attachments', () => {
  it('reads what the graph needs of the large attachments Claude Code 2.1.332 wrote, as parsing them whole does', () => {
    const skimmed = sampleLines().filter((line) => skimmedAttachment(Buffer.from(line)) !== undefined)
    expect(skimmed.length, 'the prompt snapshots and skill listings of the samples').to.be.greaterThan(8)
    for (const line of skimmed) {
      const whole = JSON.parse(line) as Record<string, unknown>
      const {attachment, ...fields} = skimmedAttachment(Buffer.from(line))!
      expect(attachment).to.deep.equal({type: (whole.attachment as {type: string}).type})
      for (const [key, value] of Object.entries(fields)) expect(value, key).to.deep.equal(whole[key])
      for (const key of ['uuid', 'parentUuid', 'isSidechain', 'timestamp', 'type']) expect(fields, key).to.have.property(key)
    }
  })

  it('leaves to parsing whole a small line, an attachment that is shown, and one whose fields are not around its payload', () => {
    const record = (attachment: object, before: object = {}, after: object = {}) =>
      Buffer.from(JSON.stringify({parentUuid: 'p', isSidechain: false, ...before, attachment, type: 'attachment', uuid: 'u', timestamp: 't', ...after}))
    expect(skimmedAttachment(record({type: 'prompt_snapshot', text: PAYLOAD}))).to.deep.equal({attachment: {type: 'prompt_snapshot'}, isSidechain: false, parentUuid: 'p', timestamp: 't', type: 'attachment', uuid: 'u'})
    expect(skimmedAttachment(record({type: 'prompt_snapshot', text: 'short'})), 'small').to.equal(undefined)
    expect(skimmedAttachment(record({type: 'queued_command', prompt: PAYLOAD})), 'shown').to.equal(undefined)
    // The record's own type and id before its payload, which ends with an object naming an attachment type.
    const reordered = Buffer.from(JSON.stringify({parentUuid: 'p', type: 'attachment', uuid: 'u', attachment: {type: 'prompt_snapshot', text: PAYLOAD, inner: {a: {b: 1}, type: 'attachment', c: 2}}}))
    expect(skimmedAttachment(reordered), 'reordered').to.equal(undefined)
    expect(skimmedAttachment(Buffer.from(JSON.stringify({type: 'user', message: {content: PAYLOAD}, uuid: 'u'}))), 'not an attachment').to.equal(undefined)
  })
})

/** A long text with what a JSON string escapes: quotes, backslashes (one ending it), new lines, characters beyond ASCII. */
const LONG_TEXT = `${'const a = "x\\\\y"; // näive 🙂\n'.repeat(400)}ends in a backslash \\`

/** A copy of `value` with each text made long, but the fields the reader keeps of a structured result. */
function inflated(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'agentId' ? value : `${value}${LONG_TEXT}`
  if (Array.isArray(value)) return value.map((item) => inflated(item))
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, inflated(item, name)]))
}

const kept = (record: unknown) => ConversationRecordSchema.parse(record)

describe('Claude Code reader: skimming large tool results', () => {
  it('keeps of a tool result with a large structured copy what parsing it whole keeps, for every result Claude Code 2.1.332 wrote', () => {
    const results = sampleLines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.toolUseResult !== undefined)
    expect(results.length, 'the tool results of the samples').to.be.greaterThan(8)
    for (const record of results) {
      const line = JSON.stringify({...record, toolUseResult: inflated(record.toolUseResult)})
      const skimmed = skimmedToolResult(Buffer.from(line))
      expect(skimmed, line.slice(0, 200)).to.not.equal(undefined)
      expect(kept(skimmed)).to.deep.equal(kept(JSON.parse(line)))
      // The result as the model saw it is read whole, however long.
      const withLongOutput = JSON.stringify({...record, message: inflated(record.message), toolUseResult: inflated(record.toolUseResult)})
      expect(kept(skimmedToolResult(Buffer.from(withLongOutput)))).to.deep.equal(kept(JSON.parse(withLongOutput)))
    }
  })

  it('reads the agent, the saved output, the time and a stop of a structured copy, however long each text', () => {
    const path = `/home/u/.claude/projects/-home-u-app/s/tool-results/${'deep/'.repeat(300)}b1.txt`
    const line = JSON.stringify({type: 'user', message: {content: [{content: 'out', tool_use_id: 't', type: 'tool_result'}], role: 'user'}, uuid: 'u', toolUseResult: {agentId: 'a1', interrupted: true, persistedOutputPath: path, stdout: LONG_TEXT, totalDurationMs: 2300}})
    expect(kept(skimmedToolResult(Buffer.from(line))).toolUseResult).to.deep.equal({agentId: 'a1', durationMs: 2300, interrupted: true, persistedOutputPath: path})
  })

  it('leaves to parsing whole a small line, one without a structured copy or with only short texts in it, and a copy that is not the record\'s own', () => {
    const line = (record: object) => Buffer.from(JSON.stringify(record))
    expect(skimmedToolResult(line({type: 'user', uuid: 'u', toolUseResult: {stdout: 'x'.repeat(100)}})), 'small').to.equal(undefined)
    expect(skimmedToolResult(line({type: 'user', message: {content: LONG_TEXT}, uuid: 'u'})), 'no copy').to.equal(undefined)
    expect(skimmedToolResult(line({type: 'user', message: {content: LONG_TEXT}, uuid: 'u', toolUseResult: {stdout: 'short'}})), 'short texts').to.equal(undefined)
    // A progress record's copy of a subagent's message holds one of its own, deeper in.
    const nested = {type: 'progress', uuid: 'u', data: {message: {type: 'user', toolUseResult: {stdout: LONG_TEXT}}}}
    expect(skimmedToolResult(line(nested)), 'deeper').to.equal(undefined)
    expect(skimmedToolResult(line({...nested, toolUseResult: {stdout: LONG_TEXT}})), 'deeper, then its own').to.equal(undefined)
  })

  it('leaves to parsing whole, which tells of it, a line that is cut, not JSON or not UTF-8', () => {
    const whole = Buffer.from(JSON.stringify({type: 'user', uuid: 'u', toolUseResult: {stdout: LONG_TEXT, stderr: ''}, cwd: '/app'}))
    expect(skimmedToolResult(whole)).to.not.equal(undefined)
    expect(skimmedToolResult(whole.subarray(0, whole.length - 30)), 'cut after the copy').to.equal(undefined)
    expect(skimmedToolResult(whole.subarray(0, 5000)), 'cut inside it').to.equal(undefined)
    expect(skimmedToolResult(Buffer.from(whole.toString().replace('"cwd"', 'cwd'))), 'not JSON').to.equal(undefined)
    const notUtf8 = Buffer.from(whole)
    notUtf8[notUtf8.indexOf('ends in')] = 0xff
    expect(skimmedToolResult(notUtf8), 'not UTF-8').to.equal(undefined)
  })

  it('reads a session with large results as it reads small ones: the output the model saw, the subagent the copy names, its time', async () => {
    const config = tempDir()
    cpSync(FIXTURE, config, {recursive: true})
    const file = path.join(config, 'projects', '-home-dev-app', `${SESSION.v2}.jsonl`)
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const output = `All 12 tests pass.\n${LONG_TEXT}`
    // The Task's result, named by its structured copy alone: its text does not name the agent.
    const large = records.map((record) => ((record.toolUseResult as {agentId?: string} | undefined)?.agentId === '5e1f0a9c' ? {...record, message: {content: [{content: [{text: output, type: 'text'}], tool_use_id: 'toolu_02V2task', type: 'tool_result'}], role: 'user'}, toolUseResult: {...(inflated(record.toolUseResult) as object), totalDurationMs: 2300}} : record))
    writeFileSync(file, large.map((record) => JSON.stringify(record)).join('\n') + '\n')
    const session = await readSession(SESSION.v2, claudeContext(config))
    const blocks = session.messages.flatMap((message) => message.blocks)
    expect(blocks.find((block) => block.type === 'tool_call')).to.include({subagentId: 'agent-5e1f0a9c'})
    expect(blocks.find((block) => block.type === 'tool_result')).to.include({durationMs: 2300, output})
  })
})

describe('Claude Code reader: the long strings of a JSON value, found in its bytes', () => {
  const find = (json: string, start = 0, kept: string[] = []) => {
    const bytes = Buffer.from(json)
    const found = longStringsOf(bytes, start, 4, new Set(kept))
    return found && {end: found.end, strings: found.ranges.flatMap((offset, index) => (index % 2 === 0 ? [bytes.toString('utf8', offset, found.ranges[index + 1])] : []))}
  }

  it('ends a value where it ends, at any depth, past quotes and backslashes in its texts', () => {
    // The value, then what follows it in the record.
    const walked = (value: string, after = ',"next":1') => {
      const found = find(value + after)
      expect(found?.end, value).to.equal(Buffer.byteLength(value))
      return found?.strings
    }

    expect(walked('{"a":"x\\\\","b":["long \\"quoted\\" text",{"c":"\\\\\\"four"}]}')).to.deep.equal(['"long \\"quoted\\" text"', '"\\\\\\"four"'])
    expect(walked('"long enough"')).to.deep.equal(['"long enough"'])
    expect(walked('"näive 🙂 text"')).to.deep.equal(['"näive 🙂 text"'])
    expect(walked('12.5e3')).to.deep.equal([])
    expect(walked('true', '}')).to.deep.equal([])
    expect(walked('[ "spaced out" , {"k" : "v w x y"} ]')).to.deep.equal(['"spaced out"', '"v w x y"'])
  })

  it('keeps the texts of the keys it is told, and every key', () => {
    expect(find('{"agentId":"a-long-id","stdout":"a long output","agentIdentity":{"n":"nested text"}}', 0, ['agentId'])?.strings).to.deep.equal(['"a long output"', '"nested text"'])
  })

  it('is null for a value that is cut or does not nest', () => {
    expect(find('{"a":"cut')).to.equal(null)
    expect(find('{"a":[1,2}')).to.equal(null)
    expect(find('{"a":{"b":1}')).to.equal(null)
  })
})
