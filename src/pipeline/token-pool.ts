import {createRequire} from 'node:module'
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'

interface CountRequest {
  id: number
  text: string
}

type CountReply = {id: number; tokens: number} | {id: number; error: string}

/**
 * What a thread runs: it counts the tokens of each text it is sent. The text of a special token
 * (`<|endoftext|>` in a session about tokenizers) is counted as the plain text it is, as a
 * model's API counts a user's text; by default the tokenizer refuses it. The code is given as
 * source, with the tokenizer's resolved path, so that it runs the same from the compiled
 * package and from the TypeScript the tests run.
 */
const THREAD_SOURCE = `
const {parentPort, workerData} = require('node:worker_threads')
const {countTokens} = require(workerData.tokenizer)
const plainText = {allowedSpecial: new Set(), disallowedSpecial: new Set()}
parentPort.on('message', ({id, text}) => {
  let reply
  try {
    reply = {id, tokens: countTokens(text, plainText)}
  } catch (error) {
    reply = {id, error: error.message}
  }
  parentPort.postMessage(reply)
})`

const TOKENIZER = createRequire(import.meta.url).resolve('gpt-tokenizer/encoding/o200k_base')

/** Segments handed to each thread ahead: enough to keep it busy, few enough to keep memory flat. */
const AHEAD_PER_THREAD = 2

/** Each thread holds the tokenizer's tables, about 80 MB: four at most. */
const MOST_THREADS = 4

interface Job {
  resolve(tokens: number): void
  reject(error: Error): void
}

interface Thread {
  worker: Worker
  jobs: Map<number, Job>
}

/**
 * Counts o200k tokens on worker threads, one per core (see `MOST_THREADS`). Tokenizing is
 * nearly all of `stats`' time, and text cut where the tokenizer always splits counts the same in
 * segments counted apart, so the segments of every format are counted side by side.
 */
export class TokenPool {
  private readonly threads: Thread[] = []
  private readonly waiting: Array<() => void> = []
  private nextId = 0
  private inFlight = 0

  constructor(private readonly size = Math.min(availableParallelism(), MOST_THREADS)) {}

  /** Resolves once another segment can be handed over without running too far ahead. */
  async ready(): Promise<void> {
    while (this.inFlight >= this.size * AHEAD_PER_THREAD) await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  count(text: string): Promise<number> {
    const thread = this.threadFor()
    const id = this.nextId++
    this.inFlight++
    return new Promise<number>((resolve, reject) => {
      thread.jobs.set(id, {reject, resolve})
      thread.worker.postMessage({id, text} satisfies CountRequest)
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map(({worker}) => worker.terminate()))
  }

  /** An idle thread, a new one while there are fewer than `size`, else the least busy. */
  private threadFor(): Thread {
    const idle = this.threads.find((thread) => thread.jobs.size === 0)
    if (idle) return idle
    if (this.threads.length < this.size) return this.spawn()
    return this.threads.reduce((least, thread) => (thread.jobs.size < least.jobs.size ? thread : least))
  }

  private spawn(): Thread {
    const thread: Thread = {jobs: new Map(), worker: new Worker(THREAD_SOURCE, {eval: true, workerData: {tokenizer: TOKENIZER}})}
    thread.worker.on('message', (reply: CountReply) => {
      const job = thread.jobs.get(reply.id)
      if (!job) return
      this.settled(thread, reply.id)
      if ('error' in reply) job.reject(new Error(`counting tokens failed: ${reply.error}`))
      else job.resolve(reply.tokens)
    })
    // A thread that dies (out of memory) fails what it held; the next segments get a new one.
    const failed = (error: Error) => {
      const index = this.threads.indexOf(thread)
      if (index >= 0) this.threads.splice(index, 1)
      for (const [id, job] of thread.jobs) {
        this.settled(thread, id)
        job.reject(error)
      }
    }

    thread.worker.on('error', failed)
    thread.worker.on('exit', (code) => failed(new Error(`the token counting thread stopped (exit code ${code})`)))
    this.threads.push(thread)
    return thread
  }

  private settled(thread: Thread, id: number): void {
    thread.jobs.delete(id)
    this.inFlight--
    this.waiting.shift()?.()
  }
}
