// jsdiff (`diff` on npm): Myers' line diff, as git shows it. Only this command's chunk loads it.
import { structuredPatch } from "diff";

/**
 * A minimal line diff of a drifted snapshot (committed → regenerated): unified hunks with two
 * lines of context, so a two-line change shows as two lines, not as the whole rest of the file.
 * Long diffs stop after `maxLines` with a count of what is left.
 */
export function shortDiff(expected: string, actual: string, maxLines = 40): string[] {
  const patch = structuredPatch("committed", "regenerated", expected, actual, "", "", { context: 2 });
  const lines: string[] = [];
  let changed = 0;
  let hidden = 0;
  for (const hunk of patch.hunks) {
    // `- line`, `+ line`, `  line`: the sign set apart from the text, as the drift report always showed it.
    const body = [`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines.map((line) => `${line.slice(0, 1)} ${line.slice(1)}`)];
    for (const line of body) {
      if (lines.length < maxLines) lines.push(line);
      else if (line.startsWith("- ") || line.startsWith("+ ")) hidden++;
    }
    changed += hunk.lines.filter((line) => line.startsWith("-") || line.startsWith("+")).length;
  }
  if (hidden > 0) lines.push(`... ${hidden} more changed line(s) (${changed} in all)`);
  return lines;
}
