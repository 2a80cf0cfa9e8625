import {closeSync, openSync, writeSync} from 'node:fs'

/** Appends JSON lines to a file through a small buffer: no whole file is ever held in memory. */
export class LineWriter {
  constructor(file) {
    this.file = file
    this.fd = openSync(file, 'w')
    this.chunks = []
    this.pending = 0
    this.bytes = 0
    this.lines = 0
  }

  write(record) {
    const line = `${JSON.stringify(record)}\n`
    const size = Buffer.byteLength(line)
    this.chunks.push(line)
    this.pending += size
    this.bytes += size
    this.lines++
    if (this.pending >= 1 << 20) this.flush()
  }

  flush() {
    if (this.chunks.length === 0) return
    writeSync(this.fd, this.chunks.join(''))
    this.chunks = []
    this.pending = 0
  }

  close() {
    this.flush()
    closeSync(this.fd)
  }
}
