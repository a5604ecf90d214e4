/**
 * The room secret in a URL fragment such as `#key=…` (other `&`-separated fields are allowed), or
 * null. Give it `location.hash`: the fragment is never sent to any server by the browser. (On its
 * own: the room reads it at once, before the sealing code has loaded.)
 */
export function roomSecretFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const key = params.get('key')?.trim();
  return key ? key : null;
}
