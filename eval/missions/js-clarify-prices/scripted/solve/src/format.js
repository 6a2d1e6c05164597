export function formatPrice(cents) {
  const sign = cents < 0 ? "-" : ""
  const absolute = Math.abs(Math.round(cents))
  const euros = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".")
  return `${sign}${euros},${String(absolute % 100).padStart(2, "0")} €`
}
