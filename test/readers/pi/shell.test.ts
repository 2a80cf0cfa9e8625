import {expect} from 'chai'
import {toMessage} from '../../../plugins/reader-pi/src/messages.js'
import {readerContext} from '../../helpers/reader-context.js'

describe("Pi reader: the user's own shell commands", () => {
  const ran = (fields: Record<string, unknown>) => {
    const entry = {id: 'b1', line: 2, message: {command: 'git status', output: '', role: 'bashExecution', timestamp: 1_795_269_741_247, ...fields}, parentId: null, timestamp: '2026-11-21T14:02:21.250Z', type: 'message'}
    return toMessage(entry, readerContext({}))?.blocks
  }

  it('marks a command run with !! (its output kept from the model) as typed', () => {
    expect(ran({excludeFromContext: true, output: 'clean'})).to.deep.equal([
      {text: '!! git status', type: 'text'},
      {kind: 'shell_output', text: 'clean', type: 'event'},
    ])
  })

  it('says how a command ended even when it printed nothing, and leaves no empty output', () => {
    expect(ran({cancelled: true})).to.deep.equal([
      {text: '! git status', type: 'text'},
      {kind: 'shell_output', text: '(command cancelled)', type: 'event'},
    ])
    expect(ran({exitCode: 0})).to.deep.equal([{text: '! git status', type: 'text'}])
    expect(ran({exitCode: 2, fullOutputPath: '/tmp/pi-bash-1.log', output: 'tail of it', truncated: true})?.[1]).to.deep.equal({
      kind: 'shell_output',
      text: 'tail of it\n\nCommand exited with code 2\n\n[Output truncated. Full output: /tmp/pi-bash-1.log]',
      type: 'event',
    })
  })
})
