import type * as z from "./zod.js";

/** A finding of a check: where (item and JSON path) and what, never the offending value. */
export interface Finding {
  item_id?: string;
  path?: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["items", 3, "staged_payload", "name"]` → `items[3].staged_payload.name`. */
export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else {
      const key = String(part);
      if (IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/**
 * Zod issues as findings. An unknown key gets its own path (`items[0].colour`) so the reader sees
 * exactly which field to remove; `itemIdAt(i)` names the item behind an `items[i]` path.
 */
export function zodIssuesToFindings(issues: readonly z.core.$ZodIssue[], itemIdAt: (index: number) => string | undefined = () => undefined): Finding[] {
  const findings: Finding[] = [];
  const push = (path: readonly PropertyKey[], message: string): void => {
    const finding: Finding = { path: formatJsonPath(path), message };
    if (path[0] === "items" && typeof path[1] === "number") {
      const itemId = itemIdAt(path[1]);
      if (itemId !== undefined) finding.item_id = itemId;
    }
    if (finding.path === "") delete finding.path;
    findings.push(finding);
  };
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) push([...issue.path, key], "unknown field (not part of the format)");
    } else {
      push(issue.path, issue.message);
    }
  }
  return findings;
}
