export function formatPrice(cents) {
  const sign = cents < 0 ? "-" : ""
  const absolute = Math.abs(Math.round(cents))
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, "0")} €`
}
