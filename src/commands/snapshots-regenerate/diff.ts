/** A short line diff for drift reports: the first differing lines, not a full diff. */
export function shortDiff(expected: string, actual: string, maxLines = 6): string[] {
  const a = expected.split("\n");
  const b = actual.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const removed = a.slice(start, endA);
  const added = b.slice(start, endB);
  const lines = [`@@ line ${start + 1} @@`];
  lines.push(...removed.slice(0, maxLines).map((line) => `- ${line}`));
  if (removed.length > maxLines) lines.push(`  ... ${removed.length - maxLines} more removed`);
  lines.push(...added.slice(0, maxLines).map((line) => `+ ${line}`));
  if (added.length > maxLines) lines.push(`  ... ${added.length - maxLines} more added`);
  return lines;
}
