import type {Contribution} from 'sessionsync'
import {opencodeReader} from './reader.js'

export default async function register(): Promise<Contribution> {
  return {readers: [opencodeReader]}
}
