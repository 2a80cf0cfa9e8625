/** The ratios the issue sets targets for, and the printed table. */

const MB = 1e6

export function ratios({runs, corpus}) {
  const run = (id) => runs.find((r) => r.id === id)
  const seconds = (id) => (run(id)?.valid ? run(id).seconds : null)
  const cpuSeconds = (id) => (run(id)?.valid ? run(id).cpuSeconds : null)
  const divide = (a, b) => (a === null || b === null || b === 0 ? null : a / b)
  const syncRuns = ['markdown', 'json', 'toon', 'rerun', 'rerunChecked', 'stateLost', 'claude'].map(run).filter((r) => r?.valid && r.peakRssBytes)
  const peak = syncRuns.length > 0 ? Math.max(...syncRuns.map((r) => r.peakRssBytes)) : null
  const startup = run('baseline')?.valid ? run('baseline').peakRssBytes : null
  const largest = corpus.largestSessionFile.bytes
  const tokens = (format) => run('stats')?.detail?.[format]?.tokens ?? null
  return [
    {id: 'markdownOverFloor', label: 'full export markdown / floor', value: divide(seconds('markdown'), seconds('floor')), target: '≤ 2', pass: (v) => v <= 2},
    {id: 'markdownOverReadlineFloor', label: 'full export markdown / floor with lines read by readline', value: divide(seconds('markdown'), seconds('floorReadline')), target: 'for reference'},
    {id: 'markdownRamOverFloor', label: 'full export markdown into RAM / floor', value: divide(seconds('markdownRam'), seconds('floor')), target: 'for reference'},
    // Processor time leaves out what a busy host gives to others, which slows the floor more than an export.
    {id: 'markdownCpuOverFloorCpu', label: 'processor time: full export markdown / floor', value: divide(cpuSeconds('markdown'), cpuSeconds('floor')), target: 'for reference'},
    {id: 'jsonOverFloor', label: 'full export json / floor', value: divide(seconds('json'), seconds('floor')), target: '≤ 2', pass: (v) => v <= 2},
    {id: 'toonOverFloor', label: 'full export toon / floor', value: divide(seconds('toon'), seconds('floor')), target: '≤ 2', pass: (v) => v <= 2},
    {id: 'rerunOverFullExport', label: 'no-change re-run / full export (markdown)', value: divide(seconds('rerun'), seconds('markdown')), target: '≤ 0.05', pass: (v) => v <= 0.05},
    {id: 'rerunCheckedOverFullExport', label: 'no-change re-run without its record / full export', value: divide(seconds('rerunChecked'), seconds('markdown')), target: 'for reference'},
    {id: 'stateLostOverFullExport', label: 'sync with its state lost / full export', value: divide(seconds('stateLost'), seconds('markdown')), target: 'for reference'},
    {id: 'peakRssOverLargestSession', label: 'peak RSS of sync / largest session file', value: divide(peak, largest), target: '≤ 2', pass: (v) => v <= 2},
    {id: 'peakRssAboveStartupOverLargestSession', label: '(peak RSS - startup RSS) / largest session file', value: peak !== null && startup !== null ? (peak - startup) / largest : null, target: '≤ 2', pass: (v) => v <= 2},
    {id: 'largestAloneAboveStartup', label: '(peak RSS - startup RSS) / largest session, exported alone', value: run('largest')?.valid && startup !== null ? (run('largest').peakRssBytes - startup) / largest : null, target: '≤ 2', pass: (v) => v <= 2},
    {id: 'listExportedSeconds', label: 'list of an exported history, seconds', value: seconds('listExported'), target: '< 1', pass: (v) => v < 1},
    {id: 'toonOverJsonTokens', label: 'TOON tokens / JSON tokens (stats)', value: divide(tokens('toon'), tokens('json')), target: '≤ 0.6', pass: (v) => v <= 0.6},
    // No format that keeps every field of a session can cost less than its strings alone.
    {id: 'textOverJsonTokens', label: 'the strings alone / JSON tokens (floor of lossless formats)', value: divide(tokens('text'), tokens('json')), target: 'for reference'},
    {id: 'leanOverJsonTokens', label: 'lean Markdown tokens / JSON tokens (stats)', value: divide(tokens('markdown-lean'), tokens('json')), target: 'smallest', pass: (v) => v <= Math.min(divide(tokens('toon'), tokens('json')) ?? 1, divide(tokens('markdown'), tokens('json')) ?? 1)},
    {id: 'sessionsyncOverCcusage', label: 'sync --agent claude / ccusage daily', value: divide(seconds('claude'), seconds('ccusage')), target: '< 1', pass: (v) => v < 1},
  ].map(({pass, ...ratio}) => ({...ratio, met: ratio.value === null || !pass ? null : pass(ratio.value)}))
}

export function printReport({machine, params, corpus, runs, watch, ratios: list}) {
  const out = []
  const agents = Object.entries(corpus.agents).map(([agent, s]) => `${agent} ${s.sessions} sessions ${mb(s.bytes)} MB`)
  out.push('')
  out.push(`corpus: ${mb(corpus.totalBytes)} MB, ${params.sessions} sessions (${agents.join(', ')}), seed ${params.seed}`)
  out.push(`largest session file: ${mb(corpus.largestSessionFile.bytes)} MB; node ${machine.node}, ${machine.cpus} CPUs; peak RSS by ${machine.memoryMethod}`)
  out.push('')
  const rows = runs.map((r) => [
    r.label,
    r.timedOut ? 'timeout' : r.exitCode === null ? 'n/a' : String(r.exitCode),
    r.seconds === null ? '-' : r.seconds.toFixed(2),
    r.cpuSeconds === null ? '-' : r.cpuSeconds.toFixed(2),
    r.mbPerSecond === null ? '-' : r.mbPerSecond.toFixed(1),
    r.peakRssBytes === null ? '-' : mb(r.peakRssBytes, 0),
    [r.note, r.output && `${r.output.files} files, ${mb(r.output.bytes)} MB out`].filter(Boolean).join('; '),
  ])
  out.push(...table(['step', 'exit', 'seconds', 'CPU s', 'MB/s', 'peak RSS MB', 'output'], rows))
  const floor = runs.find((r) => r.id === 'floor')?.detail
  if (floor) out.push(`  floor by agent: ${Object.entries(floor).map(([agent, d]) => `${agent} ${d.seconds.toFixed(2)} s`).join(', ')}`)
  out.push('')
  out.push(...watchLines(watch))
  out.push('')
  out.push(...table(['ratio', 'value', 'target', 'met'], list.map((r) => [r.label, r.value === null ? 'n/a' : r.value.toFixed(3), r.target, r.met === null ? '-' : r.met ? 'yes' : 'NO'])))
  if (list.some((r) => r.value === null)) out.push('  n/a: a run it needs failed, was skipped, or exported no session')

  const failed = runs.filter((r) => !r.ok)
  if (failed.length > 0) {
    out.push('')
    out.push('not exit 0 (failed, skipped, or sync with warnings):')
    for (const r of failed) out.push(`  ${r.label} (exit ${r.timedOut ? 'timeout' : r.exitCode}):\n${indent(r.stderrTail || r.stdoutTail || '(no output)')}`)
  }

  process.stdout.write(`${out.join('\n')}\n`)
}

/** Processor time of the watch process (all threads) while lines were appended. */
function watchLines(watch) {
  if (watch.skipped) return [`watch: not measured (${watch.skipped})`]
  const ran = ({lines, seconds, exports}) => `${lines} lines in ${seconds.toFixed(0)} s, ${exports} exports`
  return [
    `watch --agent claude, ${watch.sessions} sessions found; processor time of the watch process:`,
    `  a line a second to a ${(watch.small.bytes / 1024).toFixed(0)} KB session: ${watch.small.cpuPerLine.toFixed(2)} s per line (${ran(watch.small)})`,
    `  two lines a second to the largest session (${mb(watch.largest.bytes)} MB): ${(watch.largest.coreShare * 100).toFixed(0)}% of one core (${ran(watch.largest)})`,
    `  a line a second to a session of another project: ${(watch.elsewhere.coreShare * 100).toFixed(1)}% of one core while written, ${watch.elsewhere.cpuPerLine.toFixed(3)} s per line with the idle seconds after (${ran(watch.elsewhere)})`,
  ]
}

function mb(bytes, digits = 1) {
  return (bytes / MB).toFixed(digits)
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')
}

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const numeric = (i) => i > 0 && i < header.length - 1
  const line = (cells) => `  ${cells.map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ')}`.trimEnd()
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
}
