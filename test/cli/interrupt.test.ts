import {expect} from 'chai'
import {untilInterrupted} from '../../src/interrupt.js'

describe('stopping a run', () => {
  it('drops output that cannot be written (a closed terminal) rather than failing the run with it', async () => {
    const result = await untilInterrupted(async () => {
      // What a message written to a terminal that was closed reports; with no listener, emit throws it.
      process.stderr.emit('error', Object.assign(new Error('write EIO'), {code: 'EIO'}))
      return 'recorded'
    }, () => {})
    expect(result).to.equal('recorded')
  })

  it('stops at a hangup without telling anyone, and takes a second hangup for the same close, not for "stop at once"', async () => {
    const notices: string[] = []
    const exit = process.exit
    let exited = false
    process.exit = (() => {
      exited = true
    }) as typeof process.exit
    try {
      const aborted = await untilInterrupted(async (signal) => {
        process.emit('SIGHUP', 'SIGHUP')
        process.emit('SIGHUP', 'SIGHUP')
        return signal.aborted
      }, (message) => notices.push(message))
      expect(aborted).to.equal(true)
      expect(exited).to.equal(false)
      expect(notices).to.deep.equal([])
    } finally {
      process.exit = exit
    }
  })

  it('says the sessions being written are finished first only when some are', async () => {
    for (const writing of [true, false]) {
      const notices: string[] = []
      await untilInterrupted(async () => {
        process.emit('SIGINT', 'SIGINT')
      }, (message) => notices.push(message), () => writing)
      expect(notices).to.deep.equal([writing ? 'Stopping: the sessions being written are finished first (press Ctrl-C again to stop at once).' : 'Stopping.'])
    }
  })

  it('stops at once at a second Ctrl-C', async () => {
    const exit = process.exit
    const codes: unknown[] = []
    process.exit = ((code: unknown) => {
      codes.push(code)
    }) as typeof process.exit
    try {
      await untilInterrupted(async () => {
        process.emit('SIGINT', 'SIGINT')
        process.emit('SIGINT', 'SIGINT')
      }, () => {})
      expect(codes).to.deep.equal([130])
    } finally {
      process.exit = exit
    }
  })
})
