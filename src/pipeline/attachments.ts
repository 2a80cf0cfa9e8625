import {createHash} from 'node:crypto'
import path from 'node:path'
import type {Session} from '../model/session.js'
import {linkBetween} from './layout.js'
import {safeSegment} from './names.js'
import type {Made, OutputFolder} from './output-folder.js'

const EXTENSIONS: Record<string, string> = {
  'application/json': 'json',
  'application/pdf': 'pdf',
  'image/gif': 'gif',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/svg+xml': 'svg',
  'image/webp': 'webp',
  'text/markdown': 'md',
  'text/plain': 'txt',
}

/**
 * Moves inline (base64) attachments out of the session into files in `<stem>/attachments/`
 * beside the export, and points the blocks at them, so no format carries base64 blobs.
 * Names start with a content hash: the same image is written once and keeps its name. `made`
 * gets what is written.
 */
export async function extractAttachments(session: Session, exportFile: string, output: OutputFolder, made: Made): Promise<Session> {
  const stem = exportFile.slice(0, exportFile.length - path.posix.extname(exportFile).length)
  const folder = `${stem}/attachments`
  const inline = session.messages.some((message) => message.blocks.some((block) => block.type === 'attachment' && block.data !== null))
  if (!inline) return session
  const existing = await output.names(folder)
  const messages = []
  for (const message of session.messages) {
    const blocks = []
    for (const block of message.blocks) {
      if (block.type !== 'attachment' || block.data === null) {
        blocks.push(block)
        continue
      }

      const bytes = Buffer.from(block.data, 'base64')
      const name = attachmentName(bytes, block.name, block.mimeType)
      if (!existing.has(name)) await output.write(`${folder}/${name}`, bytes, made)
      existing.add(name)
      blocks.push({...block, data: null, path: linkBetween(exportFile, `${folder}/${name}`)})
    }

    messages.push({...message, blocks})
  }

  return {...session, messages}
}

/**
 * `<hash of the content>-<name>.<extension>`: the name cut to 60 bytes before its extension, which
 * stays (a file opens by it), and ending as every name must, in neither a dot nor a space (Git
 * for Windows refuses to check out such a path).
 */
function attachmentName(bytes: Buffer, name: string | null, mimeType: string | null): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12)
  const base = name ? safeSegment(path.basename(name), '') : ''
  const own = OWN_EXTENSION.exec(base)?.[0]
  const extension = own ?? `.${EXTENSIONS[mimeType ?? ''] ?? mimeType?.split('/')[1]?.replace(/[^a-z0-9]/gi, '') ?? 'bin'}`
  const stem = safeSegment(own ? base.slice(0, -own.length) : base, '', NAME_BYTES)
  return stem ? `${hash}-${stem}${extension}` : `${hash}${extension}`
}

const NAME_BYTES = 60
/** An extension as files have them: `notes v1.2 final` has none. */
const OWN_EXTENSION = /\.[a-z0-9]{1,10}$/i
