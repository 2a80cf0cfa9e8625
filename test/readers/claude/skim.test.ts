import {expect} from 'chai'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {skimmedAttachment} from '../../../plugins/reader-claude/src/skim.js'
import {REAL_SAMPLES} from './helpers.js'

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
