export function mean(values) {
  if (values.length === 0) return NaN
  return values.reduce((total, value) => total + value, 0) / values.length
}

export function median(values) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}
