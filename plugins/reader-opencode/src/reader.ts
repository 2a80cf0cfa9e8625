import type {Reader} from 'sessionsync'

export const opencodeReader: Reader = {
  agent: 'opencode',
  displayName: 'opencode',
  async locate() {
    return []
  },
  async *discover() {},
  async read() {
    throw new Error('not implemented')
  },
}
