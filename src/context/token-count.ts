// Counting tokens with a real tokenizer (o200k, the encoding of current OpenAI models; a fair
// stand-in for others). Its tables take about a second to load, so they are loaded on first use
// by a mission, never when the plugin starts.

export type CountTokens = (text: string) => number

let loading: Promise<CountTokens> | undefined

/** The tokenizer's count, loaded once per process. */
export function tokenCounter(): Promise<CountTokens> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then((module) => (text: string) => (text ? module.countTokens(text) : 0))
  return loading
}

