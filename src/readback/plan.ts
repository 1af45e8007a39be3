import { randomUUID } from "node:crypto";
import { pyJsonStringify, pyString, writePyJson, type TextSink } from "../json/python.js";
import type { JsonValue } from "../json/value.js";
import { pyStr } from "./python-str.js";
import { progress, progressDone } from "../io/log.js";
import type { CandidateCounts, ReadbackSource } from "./source.js";
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
 * The readback plan, written as the seed's `build_report` + `json.dumps(sort_keys=True, indent=2)`
 * would write it, but streamed: the document is rendered once with placeholders, split at them,
 * and each candidate is written into its slot as it is re-read from the source.
 */

export interface ReadbackPlanInput {
  source: ReadbackSource;
  generatedAt: string;
  gitCommit: string;
}

type Template = (string | { slot: string })[];

/** Renders `value` (holding placeholder strings) and splits the text at the placeholders. */
function splitAtSlots(value: JsonValue, slots: Map<string, string>, level: number): Template {
  const text = pyJsonStringify(value, level);
  const parts: Template = [];
  const pattern = new RegExp([...slots.keys()].map((marker) => pyString(marker)).join("|"), "g");
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    parts.push({ slot: slots.get(JSON.parse(match[0]) as string) ?? "" });
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

const CANDIDATE_ID_SLOT = "post_incident_readback_candidate_id";
/** Progress (on a TTY only) every so many candidates: large sources take seconds. */
const PROGRESS_EVERY = 5000;

function candidateTemplate(): Template {
  const nonce = randomUUID();
  const slots = new Map<string, string>();
  const candidate: Record<string, JsonValue> = {
    ...(CANDIDATE_FIXED_FIELDS as unknown as Record<string, JsonValue>),
    readback_fields: [...READBACK_FIELDS],
    required_readback_fields: [...REQUIRED_READBACK_FIELDS],
    reviewer_checks: REVIEWER_CHECKS.map((item) => item.check_id),
    outcome_lanes: OUTCOME_LANES.map((item) => item.lane_id),
    blocked_actions: [...BLOCKED_ACTIONS],
  };
  for (const outKey of [CANDIDATE_ID_SLOT, ...Object.keys(CANDIDATE_COPIED_FIELDS)]) {
    const marker = `@@slot:${nonce}:${outKey}@@`;
    slots.set(marker, outKey);
    candidate[outKey] = marker;
  }
  // Candidates are elements of an array that is a top-level value: they stand at level 2.
  return splitAtSlots(candidate, slots, 2);
}

function summaryFields(summary: Map<string, JsonValue>, counts: CandidateCounts): Record<string, JsonValue> {
  const fields: Record<string, JsonValue> = { ...(SUMMARY_FIXED_FIELDS as unknown as Record<string, JsonValue>) };
  for (const [outKey, sourceKey] of Object.entries(SUMMARY_SOURCE_FIELDS)) {
    const value = summary.get(sourceKey);
    fields[outKey] = value === undefined ? 0 : value;
  }
  return Object.assign(fields, {
    readback_candidate_count: counts.total,
    write_capable_readback_candidate_count: counts.writeCapable,
    live_evidence_required_readback_candidate_count: counts.liveEvidence,
    alert_rule_readback_candidate_count: counts.alertRule,
    deploy_or_reload_readback_candidate_count: counts.deployOrReload,
    receiver_receipt_review_required_candidate_count: counts.total,
    stale_silence_review_required_candidate_count: counts.total,
    freshness_alert_chain_review_required_candidate_count: counts.total,
    no_false_green_required_candidate_count: counts.total,
  });
}

function writeCandidates(sink: TextSink, source: ReadbackSource): void {
  if (source.counts.total === 0) {
    sink.write("[]");
    return;
  }
  const template = candidateTemplate();
  let written = 0;
  for (const candidate of source.candidates()) {
    sink.write(written === 0 ? "[\n    " : ",\n    ");
    if (++written % PROGRESS_EVERY === 0) progress(`build-readback-plan: ${written}/${source.counts.total} candidates written`);
    for (const part of template) {
      if (typeof part === "string") sink.write(part);
      else if (part.slot === CANDIDATE_ID_SLOT) {
        sink.write(pyString(`monitoring_post_incident_readback:${pyStr(candidate.get("surface_id") ?? null)}`));
      } else {
        const sourceKey = CANDIDATE_COPIED_FIELDS[part.slot as keyof typeof CANDIDATE_COPIED_FIELDS];
        writePyJson(candidate.get(sourceKey) ?? null, sink, 3);
      }
    }
  }
  sink.write("\n  ]");
  progressDone();
}

/** Streams the report (without the trailing newline) into `sink`. */
export function writeReadbackPlan(sink: TextSink, input: ReadbackPlanInput): void {
  const { source } = input;
  const marker = `@@slot:${randomUUID()}:readback_candidates@@`;
  const report: Record<string, JsonValue> = {
    ...(REPORT_FIXED_FIELDS as unknown as Record<string, JsonValue>),
    generated_at: input.generatedAt,
    git_commit: input.gitCommit,
    source_schema_version: source.top.get("schema_version") ?? null,
    source_status: source.top.get("status") ?? null,
    summary: summaryFields(source.summary, source.counts),
    readback_candidates: marker,
    required_readback_fields: [...REQUIRED_READBACK_FIELDS],
    reviewer_checks: REVIEWER_CHECKS.map((item) => ({ ...item })),
    outcome_lanes: OUTCOME_LANES.map((item) => ({ ...item })),
    blocked_actions: [...BLOCKED_ACTIONS],
  };
  for (const part of splitAtSlots(report, new Map([[marker, "readback_candidates"]]), 0)) {
    if (typeof part === "string") sink.write(part);
    else writeCandidates(sink, source);
  }
}

/** The seed's stderr line. */
export function readbackSummaryLine(counts: CandidateCounts): string {
  return [
    "MONITORING_POST_INCIDENT_READBACK_PLAN_OK",
    `candidates=${counts.total}`,
    `write_capable=${counts.writeCapable}`,
    `checks=${REVIEWER_CHECKS.length}`,
    `lanes=${OUTCOME_LANES.length}`,
    "accepted=0",
    "runtime_gate=0",
  ].join(" ");
}
