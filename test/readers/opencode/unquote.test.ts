import {expect} from 'chai'
import {unquoted} from '../../../plugins/reader-opencode/src/messages.js'

describe('OpenCode reader: the quotes `opencode run` puts around a prompt', () => {
  // What `opencode run` stores for one argument holding a space: the argument in quotes, its own quotes escaped.
  const storedByRun = (argument: string) => `"${argument.replaceAll('"', '\\"')}"`

  it('takes off the quotes of the command line, and the escapes of the quotes inside', () => {
    expect(unquoted(storedByRun('Fix the flaky upload test'))).to.equal('Fix the flaky upload test')
    expect(unquoted(storedByRun('Rename "foo" to "bar" everywhere'))).to.equal('Rename "foo" to "bar" everywhere')
  })

  it('keeps the quotes of a prompt typed with them', () => {
    expect(unquoted('"yes" or "no"')).to.equal('"yes" or "no"')
    expect(unquoted('"The title" is wrong, "fix" it"')).to.equal('"The title" is wrong, "fix" it"')
    // `opencode run` quotes only an argument with a space in it.
    expect(unquoted('"hello"')).to.equal('"hello"')
    expect(unquoted('"')).to.equal('"')
    expect(unquoted('plain words')).to.equal('plain words')
  })
})
