import type {Reader} from 'sessionsync'

export const piReader: Reader = {
  agent: 'pi',
  displayName: 'pi',
  async locate() {
    return []
  },
  async *discover() {},
  async read() {
    throw new Error('not implemented')
  },
}
