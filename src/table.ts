/** A plain text table for people: columns padded to their widest cell, a header, no borders. */
export function formatTable(header: string[], rows: string[][]): string {
  // Reduced, not spread: a history of a hundred thousand sessions is more arguments than a call takes.
  const widths = header.map((title, column) => rows.reduce((widest, row) => Math.max(widest, [...row[column]].length), title.length))
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map((row) => line(row))].join('\n')
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }

  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}
