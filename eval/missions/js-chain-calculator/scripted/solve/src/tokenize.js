export function tokenize(text) {
  const tokens = []
  let index = 0
  while (index < text.length) {
    const char = text[index]
    if (char === " ") {
      index++
    } else if ("+-*/()".includes(char)) {
      tokens.push({ type: char })
      index++
    } else if (/[0-9.]/.test(char)) {
      const match = text.slice(index).match(/^\d+(\.\d+)?|^\.\d+/)
      if (!match) throw new Error(`bad number at ${index}`)
      tokens.push({ type: "number", value: Number(match[0]) })
      index += match[0].length
    } else {
      throw new Error(`unexpected ${JSON.stringify(char)} at ${index}`)
    }
  }
  return tokens
}
