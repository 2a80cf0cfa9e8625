import type {Block, Session} from '../model/session.js'

export interface ContentOptions {
  tools: boolean
  thinking: boolean
  attachments: boolean
}

/**
 * Applies the options that shape what is exported, once, before any writer runs, so every
 * format (third-party ones included) honours them. Messages left with nothing are dropped.
 */
export function shapeContent(session: Session, options: ContentOptions): Session {
  const keep = (block: Block): boolean => {
    switch (block.type) {
      case 'tool_call':
      case 'tool_result': {
        return options.tools
      }

      case 'thinking': {
        return options.thinking
      }

      case 'attachment': {
        return options.attachments
      }

      default: {
        return true
      }
    }
  }

  const messages = session.messages
    .map((message) => ({...message, blocks: message.blocks.filter((block) => keep(block))}))
    .filter((message) => message.blocks.length > 0)
  return {...session, messages}
}
