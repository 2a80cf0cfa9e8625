import {expect} from 'chai'
import {piHome, readAll, writeSession} from './pi-home.js'

describe('Pi reader: content the fixtures do not show', () => {
  it('turns an image the user pasted into an attachment after the text', async () => {
    const {agentDir, context} = piHome()
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    writeSession(agentDir, '2026-11-24T10-00-00-000Z_pasted.jsonl', [
      {cwd: '/home/dev/app', id: 'pasted', timestamp: '2026-11-24T10:00:00.000Z', type: 'session', version: 3},
      {id: 'cc000001', message: {content: [{text: 'What is wrong here?', type: 'text'}, {data: png, mimeType: 'image/png', type: 'image'}], role: 'user', timestamp: 1_795_860_001_000}, parentId: null, timestamp: '2026-11-24T10:00:01.000Z', type: 'message'},
    ])
    const session = (await readAll(context())).get('pasted')!
    expect(session.messages[0].blocks).to.deep.equal([
      {text: 'What is wrong here?', type: 'text'},
      {data: png, kind: 'image', mimeType: 'image/png', name: null, path: null, type: 'attachment'},
    ])
  })

  it('reads a version 2 file, where extension messages had the role hookMessage', async () => {
    const {agentDir, context} = piHome()
    writeSession(agentDir, '2025-12-01T09-00-00-000Z_v2-session.jsonl', [
      {cwd: '/home/dev/app', id: 'v2-session', timestamp: '2025-12-01T09:00:00.000Z', type: 'session', version: 2},
      {id: 'aa000001', message: {content: 'Lint the repo', role: 'user', timestamp: 1_764_579_601_000}, parentId: null, timestamp: '2025-12-01T09:00:01.000Z', type: 'message'},
      {id: 'aa000002', message: {content: 'Lint rules loaded from .eslintrc', customType: 'lint-hook', display: true, role: 'hookMessage', timestamp: 1_764_579_602_000}, parentId: 'aa000001', timestamp: '2025-12-01T09:00:02.000Z', type: 'message'},
    ])
    const ctx = context()
    const session = (await readAll(ctx)).get('v2-session')!
    expect(session.messages.map((message) => [message.role, message.blocks])).to.deep.equal([
      ['user', [{text: 'Lint the repo', type: 'text'}]],
      ['system', [{text: 'Lint rules loaded from .eslintrc', type: 'text'}]],
    ])
    expect(ctx.debugs.join('\n')).to.not.include('hookMessage')
  })
})
