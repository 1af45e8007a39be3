/** A duration as people say it in a table: `45s`, `12m`, `5h`, `3d` (the largest whole unit). */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(Math.abs(seconds)));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
