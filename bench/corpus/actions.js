/**
 * What an agent does in a step, independent of how each agent records it: a tool call with
 * its input and result. Each agent's writer maps these onto its own record shapes.
 */

export class Clock {
  constructor(startMs) {
    this.ms = startMs
  }

  /** Moves on by a random number of milliseconds. */
  tick(random, min, max) {
    this.ms += random.int(min, max)
    return this.ms
  }

  iso() {
    return new Date(this.ms).toISOString()
  }
}

/** Size of one tool output, in characters: mostly small, a long tail; bigger in big sessions. */
export function outputSize(random, scale, cap) {
  return Math.min(cap, Math.round(random.logNormal(Math.log(900), 1.5) * scale))
}

/**
 * One tool use. `kind` is agent-neutral; `output` is the text the model saw.
 * Sizes: `scale` and `cap` come from the session (big sessions carry bigger outputs).
 */
export function toolAction(random, text, cwd, {scale, cap, images}) {
  const roll = random.next()
  const file = `${cwd}/${text.filePath()}`
  if (images && roll < 0.01) {
    return {kind: 'image', file: `${cwd}/docs/screenshot-${random.int(1, 99)}.png`, image: text.imageBase64(random.int(20_000, 250_000)), output: '', isError: false}
  }

  if (roll < 0.4) {
    const failed = random.chance(0.08)
    const output = text.log(outputSize(random, scale, cap))
    return {
      kind: 'bash',
      command: random.pick(['npm test', 'npm run build', 'git status', 'git diff', 'npx tsc --noEmit', 'ls -la src', `cat ${file}`, 'npm run lint']),
      description: text.prose(1).slice(0, 60),
      output: failed ? `Exit code 1\n${output}` : output,
      isError: failed,
    }
  }

  if (roll < 0.7) {
    const content = text.code(outputSize(random, scale, cap))
    return {kind: 'read', file, content, output: numbered(content), isError: false}
  }

  if (roll < 0.85) {
    const original = text.code(outputSize(random, scale, cap))
    const oldText = text.code(random.int(40, 400))
    const newText = text.code(random.int(40, 600))
    return {kind: 'edit', file, original, oldText, newText, output: `The file ${file} has been updated. Here's the result of running \`cat -n\` on a snippet of the edited file:\n${numbered(newText)}`, isError: false}
  }

  if (roll < 0.93) {
    const content = text.code(outputSize(random, scale, cap))
    return {kind: 'write', file, content, output: `File created successfully at: ${file}`, isError: false}
  }

  const files = Array.from({length: random.int(1, 40)}, () => `${cwd}/${text.filePath()}`)
  return {kind: 'grep', pattern: text.sentence().split(' ')[1] ?? 'todo', files, output: files.join('\n'), isError: false}
}

function numbered(content) {
  return content
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(6)}\t${line}`)
    .join('\n')
}
