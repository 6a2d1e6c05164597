export function label(product) {
  return `${product.name}: ${product.cents} cents`
}
