/**
 * A seeded pseudo-random source, so the same parameters always give the same corpus
 * (byte for byte), and helpers for the id shapes the agents use.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const HEX = '0123456789abcdef'

export class Random {
  constructor(seed) {
    // sfc32 seeded through splitmix32: fast, good enough for synthetic data.
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
  }

  /** A 32-bit unsigned integer. */
  uint32() {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) >>> 0
    return t
  }

  /** A float in [0, 1). */
  next() {
    return this.uint32() / 4_294_967_296
  }

  /** An integer in [min, max]. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability) {
    return this.next() < probability
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)]
  }

  /** Log-normal: most values small, a long tail of large ones (session and output sizes). */
  logNormal(mu, sigma) {
    const u = 1 - this.next()
    const v = this.next()
    return Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v))
  }

  /** A derived generator, so one part of the corpus does not shift when another changes. */
  fork(label) {
    let h = this.uint32()
    for (const ch of String(label)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
    return new Random(h)
  }

  chars(alphabet, length) {
    let out = ''
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]
    return out
  }

  hex(length) {
    return this.chars(HEX, length)
  }

  base62(length) {
    return this.chars(BASE62, length)
  }

  /** A version-4 UUID string. */
  uuid() {
    const h = this.hex(32)
    const variant = HEX[8 + (this.uint32() & 3)]
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** Random bytes (for image payloads). */
  bytes(length) {
    const buffer = Buffer.allocUnsafe(length)
    for (let i = 0; i < length; i += 4) {
      const value = this.uint32()
      buffer[i] = value & 0xff
      if (i + 1 < length) buffer[i + 1] = (value >>> 8) & 0xff
      if (i + 2 < length) buffer[i + 2] = (value >>> 16) & 0xff
      if (i + 3 < length) buffer[i + 3] = value >>> 24
    }
    return buffer
  }
}
