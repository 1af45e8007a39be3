/**
 * Template placeholders a runbook copy-paste leaves behind (`--reason "Approved by [NAME]"`): a
 * reason holding one is not a reason. Bracketed words (not ticket ids like [CHG-4410]), angle
 * bracketed words, TODO/TBD/FIXME, xxx, and an ellipsis.
 */
const PLACEHOLDERS: RegExp[] = [/\[[A-Za-z_ ]+\]/, /<[A-Za-z_ -]+>/, /\b(?:TODO|TBD|FIXME)\b/i, /\bx{3,}\b/i, /\.\.\.|…/];

/** The placeholder found in `text`, or undefined. */
export function placeholderIn(text: string): string | undefined {
  for (const pattern of PLACEHOLDERS) {
    const match = pattern.exec(text);
    if (match) return match[0];
  }
  return undefined;
}
