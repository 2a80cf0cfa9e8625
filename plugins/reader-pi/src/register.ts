import type {Contribution} from 'sessionsync'
import {piReader} from './reader.js'

export default async function register(): Promise<Contribution> {
  return {readers: [piReader]}
}
