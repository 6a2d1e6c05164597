/** Names of environment variables whose values are secrets. */
const secretName = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE)/i
/** Values that look like a key whatever their variable is called. */
const secretShape = /^(sk-|sk_|pk_live|rk_live|ghp_|gho_|ghu_|ghs_|github_pat_|glpat-|xox[abposr]-|AKIA[0-9A-Z]{12}|AIza|ya29\.|eyJ[A-Za-z0-9_-]{10,}\.)/

/**
 * Removes the values of secret-looking environment variables from text that is written to disk.
 * Built once per mission from the process environment (the host's, which holds provider keys).
 */
export class Redactor {
  private readonly secrets: Array<{ name: string; value: string; escaped: string }>

  constructor(env: Record<string, string | undefined> = process.env) {
    this.secrets = Object.entries(env)
      .filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].length >= 8)
      .filter(([name, value]) => secretName.test(name) || secretShape.test(value))
      .map(([name, value]) => ({ name, value, escaped: JSON.stringify(value).slice(1, -1) }))
      // Longest first, so a secret that contains another is removed whole.
      .sort((a, b) => b.value.length - a.value.length)
  }

  /** The text with every secret value replaced by `[redacted NAME]`, raw or JSON-escaped. */
  redact(text: string): string {
    let result = text
    for (const secret of this.secrets) {
      const marker = `[redacted ${secret.name}]`
      result = result.replaceAll(secret.value, marker)
      if (secret.escaped !== secret.value) result = result.replaceAll(secret.escaped, marker)
    }
    return result
  }
}
