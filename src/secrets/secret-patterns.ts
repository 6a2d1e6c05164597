/** Names of environment variables whose values are secrets (PWD and OLDPWD are folders). */
const secretName = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|PASS\b|_PASS|PWD|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|DSN|WEBHOOK|CONN(ECTION)?_?STR)/i
const notSecret = new Set(["PWD", "OLDPWD", "PASSWORD_STORE_DIR", "SSH_AUTH_SOCK", "XDG_SESSION_TYPE", "XDG_SESSION_ID", "XDG_SESSION_CLASS", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION", "GPG_AGENT_INFO", "KEYTIMEOUT"])
/** A URL with a password in it: postgres://user:pass@host, https://user:token@host. */
export const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:)([^\s@/'"]+)(@)/gi

/** Values that look like a key whatever their variable is called. */
const secretShape = /^(sk-|sk_|pk_live|rk_live|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abposr]-|AKIA[0-9A-Z]{12}|ASIA[0-9A-Z]{12}|AIza|ya29\.|eyJ[A-Za-z0-9_-]{10,}\.)/

/** True when an environment variable `name=value` holds a secret. */
export function isSecretVariable(name: string, value: string): boolean {
  if (notSecret.has(name.toUpperCase())) return false
  if (secretName.test(name) || secretShape.test(value)) return true
  // DATABASE_URL, REDIS_URI …: a secret when it carries a password.
  return /(URL|URI)$/i.test(name) && new RegExp(urlCredentials.source, "i").test(value)
}

/**
 * Secrets a model or a command may write whatever the environment holds: the shapes of the
 * common providers' tokens, private keys, passwords in URLs, Slack webhooks, Sentry DSNs. Matched
 * synchronously on everything the mission writes; secretlint's rules add more where the mission
 * can wait for them (secret-scan.ts).
 */
export const secretShapes: Array<{ label: string; pattern: RegExp; keep?: (match: string, ...groups: string[]) => string }> = [
  { label: "private key", pattern: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END \1PRIVATE KEY\2-----|$)/g },
  { label: "GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { label: "GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { label: "AWS access key", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { label: "API key", pattern: /\b(sk|rk|pk)[-_](live_|test_|proj-|ant-|or-)?[A-Za-z0-9_-]{16,}/g },
  { label: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { label: "Slack webhook", pattern: /https:\/\/hooks\.slack\.com\/(services|workflows)\/[A-Za-z0-9/_-]+/g },
  { label: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { label: "JWT", pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g },
  { label: "Sentry DSN key", pattern: /(:\/\/)([0-9a-f]{32})(@)/g, keep: (_match, scheme, _key, at) => `${scheme}[redacted Sentry DSN key]${at}` },
  { label: "password in a URL", pattern: urlCredentials, keep: (_match, head, _password, at) => `${head}[redacted password]${at}` },
]
