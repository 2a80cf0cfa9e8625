import type {Contribution} from 'sessionsync'
import {claudeReader} from './reader.js'

export default async function register(): Promise<Contribution> {
  return {readers: [claudeReader]}
}
