import type {Contribution, Writer} from 'sessionsync'
import {markdownPieces, renderMarkdown} from './render.js'

export const markdownWriter: Writer = {
  format: 'markdown',
  extension: 'md',
  displayName: 'Markdown',
  render: renderMarkdown,
  renderPieces: markdownPieces,
}

export default async function register(): Promise<Contribution> {
  return {writers: [markdownWriter]}
}
