import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {AttachmentBlock} from 'sessionsync'
import type {Json} from './json.js'
import {isRecord, text} from './json.js'

/** `data:<mime>[;base64],<payload>`: OpenCode inlines pasted images and the images a tool read this way. */
function decodeDataUrl(url: string): {mimeType: string | null; data: string} | null {
  const match = /^data:([^,;]*)((?:;[^,;]*)*),(.*)$/s.exec(url)
  if (!match) return null
  const base64 = match[2].split(';').includes('base64')
  const data = base64 ? match[3].replaceAll(/\s/g, '') : Buffer.from(percentDecoded(match[3]), 'utf8').toString('base64')
  return {data, mimeType: match[1] || null}
}

function percentDecoded(payload: string): string {
  try {
    return decodeURIComponent(payload)
  } catch {
    return payload
  }
}

function localPath(url: string): string | null {
  try {
    return url.startsWith('file:') ? fileURLToPath(url) : null
  } catch {
    return null
  }
}

/**
 * A `file` part (in a user message, or among a tool's attachments) as an attachment: inline
 * content moves into `data` for the export to write as a file; a `file://` one stays a reference.
 */
export function attachmentOf(part: Json): AttachmentBlock {
  const url = text(part.url) ?? ''
  const inline = decodeDataUrl(url)
  const source = isRecord(part.source) ? part.source : {}
  const where = inline ? null : (localPath(url) ?? text(source.path) ?? (url || null))
  const mimeType = text(part.mime) ?? inline?.mimeType ?? null
  return {
    data: inline?.data ?? null,
    kind: mimeType?.startsWith('image/') ? 'image' : 'file',
    mimeType,
    name: text(part.filename) ?? (where ? path.basename(where) : null),
    path: where,
    type: 'attachment',
  }
}
