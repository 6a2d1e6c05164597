import { formatPrice } from "./format.js"

export function label(product) {
  return `${product.name}: ${formatPrice(product.cents)}`
}
