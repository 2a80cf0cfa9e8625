import type {Reader} from 'sessionsync'

export const claudeReader: Reader = {
  agent: 'claude',
  displayName: 'claude',
  async locate() {
    return []
  },
  async *discover() {},
  async read() {
    throw new Error('not implemented')
  },
}
