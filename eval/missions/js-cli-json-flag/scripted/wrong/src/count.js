export function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length
}

export function countLines(text) {
  return text.split("\n").length
}

export function countCharacters(text) {
  return [...text].length
}
