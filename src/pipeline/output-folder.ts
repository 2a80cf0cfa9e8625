import {accessSync, constants, existsSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {type FileHandle, open, readdir, readFile, rm, rmdir, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {BufferPool} from '../kit/buffer-pool.js'
import {statOrNull} from '../stat-or-null.js'
import {HOST_TAG, isRunning, RUN_TAG} from './runs.js'

/**
 * Temporary names are unique within a run by a counter (a random name per file cost more than its
 * write's other calls), and between runs by the run's process id and tags (see `RUN_TAG`).
 */
let temporaries = 0

/** What writes made, files and the folders made for them (absolute paths), so that they can be taken back. */
export interface Made {
  files: string[]
  folders: string[]
}

/**
 * The only way sessionsync writes: every path is checked to stay inside the output folder
 * (also through symlinks), and every file is written to a temporary name in the same folder
 * and renamed into place, so a crash leaves the old file or the new one, never half of one.
 */
export class OutputFolder {
  private realRoot: string | undefined
  private readonly listed = new Map<string, Set<string>>()
  /** Folders already checked to lead nowhere outside and created: one check per folder and run. */
  private readonly checked = new Set<string>()

  constructor(readonly root: string) {}

  /**
   * Writes a file whole: from a string, bytes, or pieces of text written as they come. Returns its
   * size. `made`, when given, gets the file and each folder made for it.
   */
  async write(relative: string, content: string | Uint8Array | Iterable<string>, made?: Made): Promise<number> {
    const target = this.placeFor(relative, made)
    const folder = path.dirname(target)
    const temporary = path.join(folder, `.${path.basename(target)}.${process.pid}-${HOST_TAG}-${RUN_TAG}-${++temporaries}.tmp`)
    // Another run may remove the folder once checked (its last export taken back, its writing mark
    // released when this run's was not yet written): it is checked and made again.
    const remakeFolder = () => {
      this.checked.delete(folder)
      this.placeFor(relative, made)
    }

    // Asynchronous, unlike reading: the kernel's part of writing a large file (most of the cost on
    // a disk) then runs on another core while this one renders the next session.
    try {
      let bytes: number
      if (content instanceof Uint8Array) {
        // As with pieces, bytes that fit a write buffer (most attachments) are written in one synchronous call.
        const small = content.byteLength <= WRITE_BUFFER_BYTES
        await creating(() => (small ? writeFileSync(temporary, content, {flag: 'wx'}) : writeFile(temporary, content, {flag: 'wx'})), remakeFolder)
        bytes = content.byteLength
      } else {
        // A string too is encoded into the reused write buffers: a new buffer for each index or
        // state file of a megabyte or two cost a watch more than encoding them (fresh memory).
        bytes = await writePieces(temporary, typeof content === 'string' ? [content] : content, remakeFolder)
      }

      // Synchronous: the kernel renames in microseconds, and the round trip through the thread pool
      // cost more than that (a full export of the bench corpus: 3-6% faster).
      renameSync(temporary, target)
      made?.files.push(target)
      return bytes
    } catch (error) {
      await rm(temporary, {force: true})
      throw error
    }
  }

  /**
   * The absolute path of a file of the output folder, whose folder is checked to lead nowhere
   * outside and is created: for `write`, and for what is made otherwise (the state lock).
   */
  placeFor(relative: string, made?: Made): string {
    const target = this.resolve(relative)
    const folder = path.dirname(target)
    if (!this.checked.has(folder)) {
      // Checked before creating anything: mkdir would follow a symlink and create folders out there.
      // Synchronous: a few metadata calls per folder (an export makes hundreds) cost less than their round trips.
      const realRoot = this.ensureRoot()
      const existing = deepestExisting(folder)
      assertInside(realRoot, existing)
      if (existing === folder) {
        this.removeLeftTemporaries(folder)
      } else {
        // Made whether or not they are noted: `made?.folders.push(...)` would skip making them.
        const madeNow = makeFolders(folder, existing)
        made?.folders.push(...madeNow)
      }
      this.checked.add(folder)
    }

    return target
  }

  /**
   * Checks that the folder, or the nearest one above it that exists, can take files. Without this,
   * each session would fail on its own with the same error, and the run would end on it, saving
   * the state. Not created here: a run that finds nothing to export leaves no folder behind.
   */
  assertWritable(): void {
    try {
      const existing = deepestExisting(this.root)
      if (!statSync(existing).isDirectory()) throw Object.assign(new Error(`${existing} is a file`), {code: 'ENOTDIR'})
      accessSync(existing, constants.W_OK)
    } catch (error) {
      throw new Error(`cannot write into the output folder ${this.root}: ${reasonOf(error)}`)
    }
  }

  /**
   * Removes what writes made: the files, then each folder made for them that is still empty (one
   * another run has written into since stays). A folder removed is made again by the next write.
   */
  async takeBack(made: Made): Promise<void> {
    for (const file of made.files) await rm(file, {force: true})
    for (const folder of [...made.folders].reverse()) {
      const removed = await rmdir(folder).then(() => true, () => false)
      if (removed) this.checked.delete(folder)
    }
  }

  async read(relative: string): Promise<string | undefined> {
    return readFile(this.resolve(relative), 'utf8').catch(() => undefined)
  }

  async remove(relative: string): Promise<void> {
    await rm(this.resolve(relative), {force: true})
  }

  async exists(relative: string): Promise<boolean> {
    return stat(this.resolve(relative)).then(() => true, () => false)
  }

  /** File names in a folder of the output (`''`: the output folder itself); empty when it does not exist. */
  async names(relativeFolder: string): Promise<Set<string>> {
    return new Set(await readdir(this.folder(relativeFolder)).catch(() => []))
  }

  /** The same, synchronously and cached per folder: planning asks once per folder, before anything is written. */
  namesSync(relativeFolder: string): Set<string> {
    let names = this.listed.get(relativeFolder)
    if (!names) {
      try {
        names = new Set(readdirSync(this.folder(relativeFolder)))
      } catch {
        names = new Set()
      }

      this.listed.set(relativeFolder, names)
    }

    return names
  }

  /** Whether a file is in its folder's listing (`namesSync`): planning asks it of every session, and a stat each cost more. */
  listedSync(relative: string): boolean {
    const slash = relative.lastIndexOf('/')
    return this.namesSync(slash === -1 ? '' : relative.slice(0, slash)).has(relative.slice(slash + 1))
  }

  private folder(relative: string): string {
    return relative === '' ? this.root : this.resolve(relative)
  }

  /** Absolute path of a relative one, refusing anything that would leave the output folder. */
  resolve(relative: string): string {
    const target = path.resolve(this.root, relative)
    const fromRoot = path.relative(this.root, target)
    if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot) || relative.includes('\0')) {
      throw new Error(`refusing to write outside the output folder: ${JSON.stringify(relative)}`)
    }

    return target
  }

  /**
   * Temporary files of a run that was killed before it could remove them (a crash, SIGKILL, a
   * power cut): only names of this writer's pattern, of processes no longer running, and not
   * written to for a while, so another run writing here now keeps its own, even one whose
   * process this one cannot see (another container sharing the folder).
   */
  private removeLeftTemporaries(folder: string): void {
    for (const name of this.namesSync(path.relative(this.root, folder))) {
      const [, pid, host, run] = TEMPORARY_NAME.exec(name) ?? []
      if (!pid || isRunning(Number(pid), run)) continue
      const file = path.join(folder, name)
      // A run of this machine that is not running is gone; one of another may still be writing.
      if (host === HOST_TAG) rmSync(file, {force: true})
      else {
        const written = statOrNull(file)?.mtimeMs
        if (written !== undefined && Date.now() - written > LEFT_FOR_MS) rmSync(file, {force: true})
      }
    }
  }

  /**
   * Makes the output folder, before the first session is read: one that cannot be made (a link
   * leading nowhere, a path in /proc) fails the run once, rather than each session on its own.
   */
  prepare(): void {
    try {
      this.ensureRoot()
    } catch (error) {
      throw new Error(`cannot create the output folder ${this.root}: ${reasonOf(error)}`)
    }
  }

  private ensureRoot(): string {
    if (!this.realRoot) {
      makeFolders(this.root, deepestExisting(this.root))
      this.realRoot = realpathSync.native(this.root)
    }

    return this.realRoot
  }
}

/** Failures of a write that every later write would share: no room is left on the output's disk. */
const NO_ROOM: Record<string, string> = {
  EDQUOT: 'the disk quota is used up',
  // A limit set on this process (ulimit -f): the state file, which grows with every session, meets it too.
  EFBIG: 'a file reached the largest size this process may write (ulimit -f)',
  ENOSPC: 'the disk is full',
}

const REASONS: Record<string, string> = {
  ...NO_ROOM,
  EACCES: 'permission denied',
  EEXIST: 'a file, or a link that leads nowhere, is in the way',
  ENOENT: 'the file system does not allow new folders there',
  ENOTDIR: 'a file is in the way, where a folder of its path should be',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
}

/** Why a file system call failed, in words, for the errors a folder can give; else its message. */
function reasonOf(error: unknown): string {
  return REASONS[(error as NodeJS.ErrnoException).code ?? ''] ?? (error as Error).message
}

/** Why no more files can be written, when `error` says the output has no room left for them; else null. */
export function noRoomLeft(error: unknown): string | null {
  return NO_ROOM[(error as NodeJS.ErrnoException)?.code ?? ''] ?? null
}

/**
 * How long a temporary file of another machine's process (or one named by an older sessionsync,
 * without the machine) must lie unchanged before it is taken for left.
 */
const LEFT_FOR_MS = 10 * 60 * 1000

/** `.<file>.<pid>-<host tag>-<run tag>-<count>.tmp`, as `write` names them; the host tag is absent from older names. */
const TEMPORARY_NAME = /^\..+\.(\d+)-(?:([0-9a-f]{8})-)?([0-9a-f]{8})-\d+\.tmp$/

function assertInside(realRoot: string, folder: string): void {
  const real = realpathSync.native(folder)
  const fromRoot = path.relative(realRoot, real)
  if (fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot)) {
    throw new Error(`refusing to follow a symlink out of the output folder: ${folder} leads to ${real}`)
  }
}

/**
 * Creates `folder` and the folders above it down from `existing`, one at a time. Not with
 * `mkdir -p` (`recursive`): in a file system that refuses new folders, /proc, Node's retries
 * it forever. Returns the folders it made, outermost first.
 */
function makeFolders(folder: string, existing: string): string[] {
  const missing: string[] = []
  const made: string[] = []
  for (let candidate = folder; candidate !== existing; candidate = path.dirname(candidate)) missing.push(candidate)
  for (const each of missing.reverse()) {
    try {
      mkdirSync(each)
      made.push(each)
    } catch (error) {
      // Another run may have made it meanwhile; a link leading nowhere is in the way.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statOrNull(each)?.isDirectory()) throw error
    }
  }

  return made
}

/** The path itself, or the nearest folder above it that exists. */
export function deepestExisting(folder: string): string {
  for (let candidate = folder; ; candidate = path.dirname(candidate)) {
    if (existsSync(candidate)) return candidate
    if (path.dirname(candidate) === candidate) return candidate
  }
}

/** Bytes per write: few system calls, and one buffer for the whole file. */
const WRITE_BUFFER_BYTES = 1024 * 1024
const encoder = new TextEncoder()
/** Buffers of finished writes, for the next ones. */
const writeBuffers = new BufferPool(() => new Uint8Array(WRITE_BUFFER_BYTES), 8)

/**
 * Pieces are encoded straight into one reused buffer, never joined: a joined string of a
 * megabyte would land in V8's large-object space, which only a full collection frees, and an
 * export of a large session would pile them up until then. A file that fits in the buffer (most
 * of them) is written in one synchronous call at the end: for so little, the kernel's work
 * costs less than the round trips of opening, writing and closing through the thread pool.
 */
async function writePieces(file: string, pieces: Iterable<string>, remakeFolder: () => void): Promise<number> {
  let handle: FileHandle | undefined
  const buffer = writeBuffers.take()
  let used = 0
  let flushed = 0
  /** Encodes what fits of `text` and says how much of it did: only a full buffer waits, on its write. */
  const fill = (text: string): number => {
    const {read, written} = encoder.encodeInto(text, buffer.subarray(used))
    used += written
    return read
  }

  const flush = async () => {
    handle ??= await creating(() => open(file, 'wx'), remakeFolder)
    await handle.write(buffer, 0, used)
    flushed += used
    used = 0
  }

  try {
    // A character split between two pieces (a surrogate pair) is put together again, as a join would.
    let heldBack = ''
    for (const piece of pieces) {
      let text = heldBack + piece
      heldBack = endsInHighSurrogate(text) ? text.slice(-1) : ''
      if (heldBack) text = text.slice(0, -1)
      for (let done = fill(text); done < text.length; done = fill(text)) {
        await flush()
        text = text.slice(done)
      }
    }

    if (heldBack && fill(heldBack) === 0) {
      await flush()
      fill(heldBack)
    }

    const total = flushed + used
    if (handle === undefined) await creating(() => writeFileSync(file, buffer.subarray(0, used), {flag: 'wx'}), remakeFolder)
    else if (used > 0) await flush()
    return total
  } finally {
    writeBuffers.give(buffer)
    await handle?.close()
  }
}

/**
 * Creates a file with `create`; where its folder is gone (ENOENT), makes the folder again and
 * tries once more. Only the creation is repeated: the content may be pieces that can be read once.
 */
async function creating<T>(create: () => T | Promise<T>, remakeFolder: () => void): Promise<T> {
  try {
    return await create()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    remakeFolder()
    return create()
  }
}

function endsInHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1)
  return last >= 0xd8_00 && last <= 0xdb_ff
}
