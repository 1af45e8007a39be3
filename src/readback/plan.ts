import { pyString, writePyJson, type TextSink } from "../json/python.js";
import type { JsonValue } from "../json/value.js";
import { pyStr } from "./python-str.js";
import { progress, progressDone } from "../io/log.js";
import type { CandidateCounts, ReadbackSource } from "./source.js";
import { CANDIDATE_COPIED_FIELDS, SUMMARY_FIXED_FIELDS, SUMMARY_SOURCE_FIELDS } from "./seed-constants.js";
import { CANDIDATES_SLOT, CANDIDATE_ID_SLOT, readbackTemplates, type Template } from "./templates.js";

/**
 * The readback plan, written as the seed's `build_report` + `json.dumps(sort_keys=True, indent=2)`
 * would write it, but streamed: the templates' slots (./templates.ts) filled, each candidate
 * written as it is re-read from the source.
 */

/** Progress (on a TTY only) every so many candidates: large sources take seconds. */
const PROGRESS_EVERY = 5000;

export interface ReadbackPlanInput {
  source: ReadbackSource;
  generatedAt: string;
  gitCommit: string;
}

/** The value of every slot of the report but the candidates. */
function reportValues(input: ReadbackPlanInput): Map<string, JsonValue> {
  const { source } = input;
  const { counts } = source;
  const values = new Map<string, JsonValue>([
    ["generated_at", input.generatedAt],
    ["git_commit", input.gitCommit],
    ["source_schema_version", source.top.get("schema_version") ?? null],
    ["source_status", source.top.get("status") ?? null],
  ]);
  for (const [outKey, sourceKey] of Object.entries(SUMMARY_SOURCE_FIELDS)) {
    const value = source.summary.get(sourceKey);
    values.set(`summary.${outKey}`, value === undefined ? 0 : value); // null stays null, as in the seed
  }
  const counted: Record<string, number> = {
    readback_candidate_count: counts.total,
    write_capable_readback_candidate_count: counts.writeCapable,
    live_evidence_required_readback_candidate_count: counts.liveEvidence,
    alert_rule_readback_candidate_count: counts.alertRule,
    deploy_or_reload_readback_candidate_count: counts.deployOrReload,
    receiver_receipt_review_required_candidate_count: counts.total,
    stale_silence_review_required_candidate_count: counts.total,
    freshness_alert_chain_review_required_candidate_count: counts.total,
    no_false_green_required_candidate_count: counts.total,
  };
  for (const [name, count] of Object.entries(counted)) values.set(`summary.${name}`, count);
  return values;
}

function writeCandidates(sink: TextSink, source: ReadbackSource, template: Template): void {
  if (source.counts.total === 0) {
    sink.write("[]");
    return;
  }
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
        writePyJson(candidate.get(sourceKey) ?? null, sink, part.level);
      }
    }
  }
  sink.write("\n  ]");
  progressDone();
}

/** Streams the report (without the trailing newline) into `sink`. */
export function writeReadbackPlan(sink: TextSink, input: ReadbackPlanInput): void {
  const { report, candidate } = readbackTemplates();
  const values = reportValues(input);
  for (const part of report) {
    if (typeof part === "string") sink.write(part);
    else if (part.slot === CANDIDATES_SLOT) writeCandidates(sink, input.source, candidate);
    else writePyJson(values.get(part.slot) ?? null, sink, part.level);
  }
}

/** The seed's stderr line. */
export function readbackSummaryLine(counts: CandidateCounts): string {
  return [
    "MONITORING_POST_INCIDENT_READBACK_PLAN_OK",
    `candidates=${counts.total}`,
    `write_capable=${counts.writeCapable}`,
    `checks=${SUMMARY_FIXED_FIELDS.reviewer_check_count}`,
    `lanes=${SUMMARY_FIXED_FIELDS.outcome_lane_count}`,
    "accepted=0",
    "runtime_gate=0",
  ].join(" ");
}
