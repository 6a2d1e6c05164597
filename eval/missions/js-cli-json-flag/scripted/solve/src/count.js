export function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length
}

/** Newline characters, as wc -l counts them. */
export function countLines(text) {
  return (text.match(/\n/g) ?? []).length
}

export function countCharacters(text) {
  return [...text].length
}
