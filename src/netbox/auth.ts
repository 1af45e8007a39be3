/**
 * The Authorization header for a NetBox token (SPEC §4): v2 tokens (`nbt_...`, NetBox >= 4.5) go
 * as `Bearer`, legacy v1 tokens as `Token` — the same choice pynetbox makes, so old NetBox keeps
 * working with old tokens.
 */
export function authorizationHeader(token: string): string {
  return token.startsWith("nbt_") ? `Bearer ${token}` : `Token ${token}`;
}
