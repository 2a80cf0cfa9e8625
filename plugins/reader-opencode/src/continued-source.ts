import type {DatabaseLayout} from './db-source.js'
import type {StoredMessage} from './stored.js'
import {createdTime} from './stored.js'
import {version1Messages} from './v1-source.js'
import {VERSION2} from './v2-source.js'

/*
 * OpenCode 2 copies 1.x's sessions into its own tables once, keeping their ids and their
 * messages' ids, and 1.x, still installed beside it, goes on writing its own tables: a session
 * continued in 1.x after the copy has its later messages only there. Such a session is read
 * from OpenCode 2's copy, with the 1.x messages the copy lacks.
 */

/**
 * 1.x's messages, `m`, that OpenCode 2 has no copy of and that 1.x wrote after the last it has:
 * one the copy holds in another form (under another id) is not read twice. Checked in this
 * order, so that the later time is looked up only for the few not copied.
 */
const NOT_COPIED = `AND NOT EXISTS (SELECT 1 FROM session_message c WHERE c.id = m.id)
  AND m.time_created > coalesce((SELECT max(o.time_created) FROM message o JOIN session_message c ON c.id = o.id WHERE o.session_id = m.session_id), 0)`

/**
 * Both lists in the order the messages were written, each keeping its own order (OpenCode 2's
 * rows are in `seq` order, which a row's time need not follow); a row without a time stays where
 * it is.
 */
export function inTimeOrder(rows: StoredMessage[], continued: StoredMessage[]): StoredMessage[] {
  const merged: StoredMessage[] = []
  let next = 0
  for (const row of rows) {
    const created = createdTime(row.info)
    while (created !== null && next < continued.length && (createdTime(continued[next].info) ?? Number.POSITIVE_INFINITY) < created) merged.push(continued[next++])
    merged.push(row)
  }

  return [...merged, ...continued.slice(next)]
}

/**
 * OpenCode 2's sessions in a database that also has 1.x's tables. A write of 1.x to one of them
 * changes its row (`version1_updated`) or the count and size of what the copy lacks.
 */
export const VERSION2_CONTINUED: DatabaseLayout = {
  ...VERSION2,
  extraColumns: ', (SELECT v1.time_updated FROM session v1 WHERE v1.id = s.id) AS version1_updated',
  messages: (db, file, sessionId, ctx) => inTimeOrder(VERSION2.messages(db, file, sessionId, ctx), version1Messages(db, file, sessionId, ctx, NOT_COPIED)),
  name: 'version2-continued',
  sizes: `${VERSION2.sizes},
    (SELECT count(*) FROM message m WHERE m.session_id = s.id ${NOT_COPIED}) AS continued_messages,
    (SELECT coalesce(sum(octet_length(p.data)), 0) FROM message m JOIN part p ON p.message_id = m.id WHERE m.session_id = s.id ${NOT_COPIED}) AS continued_bytes`,
}
