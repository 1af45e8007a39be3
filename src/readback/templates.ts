import { pyJsonStringify, pyString } from "../json/python.js";
import type { JsonValue } from "../json/value.js";
import {
  BLOCKED_ACTIONS,
  CANDIDATE_COPIED_FIELDS,
  CANDIDATE_FIXED_FIELDS,
  OUTCOME_LANES,
  READBACK_FIELDS,
  REPORT_FIXED_FIELDS,
  REQUIRED_READBACK_FIELDS,
  REVIEWER_CHECKS,
  SUMMARY_FIXED_FIELDS,
  SUMMARY_SOURCE_FIELDS,
} from "./seed-constants.js";

/**
 * The readback plan's text but for the values that vary. Everything else is constant, key order
 * included, so the document is two templates — the report and one candidate — with a slot for
 * each varying value (src/readback/plan.ts fills them).
 */

/** Where a varying value goes: its name, and its nesting level (for the indentation). */
export interface Slot {
  slot: string;
  level: number;
}
export type Template = (string | Slot)[];
export interface ReadbackTemplates {
  report: Template;
  candidate: Template;
}

export const CANDIDATES_SLOT = "readback_candidates";
export const CANDIDATE_ID_SLOT = "post_incident_readback_candidate_id";
/** The summary members that vary: copied from the source, or counted. */
const SUMMARY_SLOTS = [
  ...Object.keys(SUMMARY_SOURCE_FIELDS),
  "readback_candidate_count",
  "write_capable_readback_candidate_count",
  "live_evidence_required_readback_candidate_count",
  "alert_rule_readback_candidate_count",
  "deploy_or_reload_readback_candidate_count",
  "receiver_receipt_review_required_candidate_count",
  "stale_silence_review_required_candidate_count",
  "freshness_alert_chain_review_required_candidate_count",
  "no_false_green_required_candidate_count",
];

/**
 * Renders `value` (holding placeholder strings) as it stands at `level` and splits the text at the
 * placeholders. Only constants are rendered here, none of which spells a placeholder.
 */
function splitAtSlots(value: JsonValue, slots: Map<string, Slot>, level: number): Template {
  const text = pyJsonStringify(value, level);
  const parts: Template = [];
  const pattern = new RegExp([...slots.keys()].map((marker) => pyString(marker)).join("|"), "g");
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    const slot = slots.get(JSON.parse(match[0]) as string);
    if (slot === undefined) throw new Error(`no slot for ${match[0]}`);
    parts.push(slot);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  if (parts.length !== 2 * slots.size + 1) throw new Error("a readback template lost a slot");
  return parts;
}

/** Puts a placeholder for slot `name` (at `level`) into `slots` and returns it. */
function placeholder(slots: Map<string, Slot>, name: string, level: number): string {
  const marker = `@@opsgate-slot:${name}@@`;
  slots.set(marker, { slot: name, level });
  return marker;
}

function candidateTemplate(): Template {
  const slots = new Map<string, Slot>();
  const candidate: Record<string, JsonValue> = {
    ...(CANDIDATE_FIXED_FIELDS as unknown as Record<string, JsonValue>),
    readback_fields: [...READBACK_FIELDS],
    required_readback_fields: [...REQUIRED_READBACK_FIELDS],
    reviewer_checks: REVIEWER_CHECKS.map((item) => item.check_id),
    outcome_lanes: OUTCOME_LANES.map((item) => item.lane_id),
    blocked_actions: [...BLOCKED_ACTIONS],
  };
  // Candidates are elements of an array that is a top-level value: they stand at level 2.
  for (const outKey of [CANDIDATE_ID_SLOT, ...Object.keys(CANDIDATE_COPIED_FIELDS)]) candidate[outKey] = placeholder(slots, outKey, 3);
  return splitAtSlots(candidate, slots, 2);
}

function reportTemplate(): Template {
  const slots = new Map<string, Slot>();
  const summary: Record<string, JsonValue> = { ...(SUMMARY_FIXED_FIELDS as unknown as Record<string, JsonValue>) };
  for (const name of SUMMARY_SLOTS) summary[name] = placeholder(slots, `summary.${name}`, 2);
  const report: Record<string, JsonValue> = {
    ...(REPORT_FIXED_FIELDS as unknown as Record<string, JsonValue>),
    generated_at: placeholder(slots, "generated_at", 1),
    git_commit: placeholder(slots, "git_commit", 1),
    source_schema_version: placeholder(slots, "source_schema_version", 1),
    source_status: placeholder(slots, "source_status", 1),
    summary,
    readback_candidates: placeholder(slots, CANDIDATES_SLOT, 1),
    required_readback_fields: [...REQUIRED_READBACK_FIELDS],
    reviewer_checks: REVIEWER_CHECKS.map((item) => ({ ...item })),
    outcome_lanes: OUTCOME_LANES.map((item) => ({ ...item })),
    blocked_actions: [...BLOCKED_ACTIONS],
  };
  return splitAtSlots(report, slots, 0);
}

let rendered: ReadbackTemplates | undefined;

/**
 * The two templates, rendered from the seed's constants at the first use. The build replaces this
 * module by one returning what this function returned at build time (scripts/build.mjs), so a run
 * neither renders them nor loads the constants.
 */
export function readbackTemplates(): ReadbackTemplates {
  return (rendered ??= { report: reportTemplate(), candidate: candidateTemplate() });
}
