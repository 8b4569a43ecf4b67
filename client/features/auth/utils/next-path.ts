// Where to go after signing in. Only paths inside this app are followed, so that a crafted link
// (`?next=https://evil.example`) cannot send someone elsewhere after they typed their password.
export function safeNextPath(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if ([...next].some((character) => character.charCodeAt(0) < 0x20)) return fallback;
  return next;
}
