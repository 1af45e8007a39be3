import { JsonReader, JsonSyntaxError, MAX_JSON_DEPTH } from "../json/read.js";
import { parseNatively } from "../json/native.js";
import { jsonTypeName, type JsonValue } from "../json/value.js";
import { UserError } from "../errors.js";
import { findSecrets, secretValuesFromEnv } from "../guards/secrets.js";
import { CANDIDATE_COPIED_FIELDS, SUMMARY_SOURCE_FIELDS } from "./seed-constants.js";

/**
 * Reads an owner-response acceptance snapshot the way the seed does (`json.loads`), without
 * holding every candidate of a large one in memory: the candidates are validated and counted in
 * one pass; a large source keeps only their offsets, so the report can re-read them one at a time
 * while it streams (a small one keeps them parsed: reading twice is most of its run).
 */

const ALERT_RULE_KINDS = new Set(["prometheus_alert_rules", "grafana_alert_rules", "signoz_alert_rules"]);
const DEPLOY_OR_RELOAD_KINDS = new Set(["reload_capable_script", "sentry_deploy_script", "host_deploy_script"]);
const SOURCE_FIELDS: readonly string[] = Object.values(CANDIDATE_COPIED_FIELDS);

export interface CandidateCounts {
  total: number;
  writeCapable: number;
  liveEvidence: number;
  alertRule: number;
  deployOrReload: number;
}

export interface ReadbackSource {
  /** Top-level members other than `acceptance_candidates`. */
  top: Map<string, JsonValue>;
  summary: Map<string, JsonValue>;
  counts: CandidateCounts;
  /** Re-reads each candidate from the file, in order. */
  candidates(): Generator<Map<string, JsonValue>>;
}

function inputError(message: string, where: string, hint?: string): UserError {
  return new UserError(message, { where, ...(hint ? { hint } : {}) });
}

/** Python could not print a lone surrogate; the seed crashes on one, opsgate says where it is. */
function findUnpairedSurrogate(value: JsonValue, path: string): string | undefined {
  if (typeof value === "string") return value.isWellFormed() ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnpairedSurrogate(value[i] ?? null, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      if (!key.isWellFormed()) return path;
      const found = findUnpairedSurrogate(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

let envSecrets: string[] | undefined;

/**
 * A value the report copies must be printable (no lone surrogate) and hold no credential: a source
 * with a token in it is refused naming the JSON path, never the value (SPEC §5).
 */
function checkPrintable(value: JsonValue, path: string, file: string): void {
  const at = findUnpairedSurrogate(value, path);
  if (at) throw inputError(`${at} holds an unpaired UTF-16 surrogate, which cannot be written as UTF-8`, file);
  const secret = findSecrets(value, (envSecrets ??= secretValuesFromEnv()), path)[0];
  if (secret) {
    throw inputError(`${secret.path} ${secret.message}; the readback plan would copy it, so nothing was written`, file, "remove the credential from the source report (reference where it is kept instead)");
  }
}

/** Validates one candidate and adds it to the counts; throws a UserError naming the problem. */
function countCandidate(candidate: JsonValue, index: number, counts: CandidateCounts, file: string): void {
  const at = `acceptance_candidates[${index}]`;
  if (!(candidate instanceof Map)) {
    throw inputError(`${at} must be an object, not ${jsonTypeName(candidate)}`, file);
  }
  for (const field of SOURCE_FIELDS) {
    const value = candidate.get(field);
    if (value === undefined) {
      throw inputError(`${at} lacks the field '${field}'`, file, `every candidate needs: ${SOURCE_FIELDS.join(", ")}`);
    }
    checkPrintable(value, `${at}.${field}`, file);
  }
  for (const flag of ["write_capable_surface", "requires_live_evidence"]) {
    const value = candidate.get(flag);
    if (typeof value !== "boolean") {
      throw inputError(`${at}.${flag} must be true or false, not ${jsonTypeName(value)}`, file);
    }
  }
  const kind = candidate.get("config_kind");
  if (Array.isArray(kind) || kind instanceof Map) {
    throw inputError(`${at}.config_kind must be a string, not ${jsonTypeName(kind)}`, file);
  }
  counts.total++;
  if (candidate.get("write_capable_surface") === true) counts.writeCapable++;
  if (candidate.get("requires_live_evidence") === true) counts.liveEvidence++;
  if (typeof kind === "string" && ALERT_RULE_KINDS.has(kind)) counts.alertRule++;
  if (typeof kind === "string" && DEPLOY_OR_RELOAD_KINDS.has(kind)) counts.deployOrReload++;
}

function emptyCounts(): CandidateCounts {
  return { total: 0, writeCapable: 0, liveEvidence: 0, alertRule: 0, deployOrReload: 0 };
}

export function readReadbackSource(buf: Buffer, file: string, keepParsedBytes = KEEP_PARSED_BYTES): ReadbackSource {
  const keepParsed = buf.length <= keepParsedBytes;
  try {
    if (keepParsed) {
      const parsed = parseNatively(buf, { maxDepth: MAX_JSON_DEPTH, refuseLoneSurrogates: false, watchRepeats: false, python: true });
      if (parsed instanceof Map) return fromParsed(parsed, file);
    }
    return scanSource(buf, file, keepParsed);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw inputError(`malformed JSON: ${error.message}`, file, "fix the JSON syntax (a validator or `python3 -m json.tool FILE` shows it)");
    }
    throw error;
  }
}

/**
 * A source up to this size keeps its parsed candidates for the write; a larger one keeps only
 * their offsets and re-reads each (memory stays flat at 100,000 candidates).
 */
export const KEEP_PARSED_BYTES = 4 * 1024 * 1024;

function scanSource(buf: Buffer, file: string, keepParsed: boolean): ReadbackSource {
  const reader = new JsonReader(buf, { python: true });
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) reader.parseDocument(); // throws on the BOM
  reader.skipWhitespace();
  if (reader.peek() !== 0x7b) {
    const value = reader.parseDocument();
    throw inputError(`the source report must be a JSON object, not ${jsonTypeName(value)}`, file);
  }
  reader.pos++;
  const top = new Map<string, JsonValue>();
  // The last `acceptance_candidates` wins, as in a Python dict.
  let offsets: number[] | undefined;
  let kept: Map<string, JsonValue>[] = [];
  let counts = emptyCounts();
  let candidatesValue: JsonValue | undefined;
  // A candidate problem is reported only once the whole file is known to be valid JSON, and only
  // if its array is the one that counts.
  let firstProblem: UserError | undefined;
  if (!reader.consume(0x7d)) {
    for (;;) {
      reader.skipWhitespace();
      if (reader.peek() !== 0x22) throw reader.error("expected a property name in double quotes");
      const key = reader.parseString();
      if (!reader.consume(0x3a)) throw reader.error("expected ':' after a property name");
      reader.skipWhitespace();
      if (key === "acceptance_candidates" && reader.peek() === 0x5b) {
        const found: number[] = [];
        const parsed: Map<string, JsonValue>[] = [];
        const scanCounts = emptyCounts();
        firstProblem = undefined;
        reader.forEachArrayElement((offset) => {
          const candidate = reader.parseValue();
          if (firstProblem === undefined) {
            try {
              countCandidate(candidate, found.length, scanCounts, file);
              if (keepParsed) parsed.push(candidate as Map<string, JsonValue>);
            } catch (problem) {
              if (!(problem instanceof UserError)) throw problem;
              firstProblem = problem;
            }
          }
          found.push(offset);
        });
        offsets = found;
        kept = parsed;
        counts = scanCounts;
        candidatesValue = undefined;
      } else {
        const value = reader.parseValue();
        if (key === "acceptance_candidates") {
          candidatesValue = value;
          offsets = undefined;
          firstProblem = undefined;
        } else top.set(key, value);
      }
      if (reader.consume(0x2c)) continue;
      if (reader.consume(0x7d)) break;
      throw reader.error("expected ',' or '}' in an object");
    }
  }
  reader.expectEnd();
  if (firstProblem !== undefined) throw firstProblem;
  if (candidatesValue !== undefined) {
    throw inputError(`acceptance_candidates must be an array, not ${jsonTypeName(candidatesValue)}`, file);
  }
  const at = offsets ?? [];
  return withSummary(top, counts, file, function* () {
    if (keepParsed) yield* kept;
    else for (const offset of at) yield reader.parseValueAt(offset) as Map<string, JsonValue>;
  });
}

/**
 * A source JSON.parse read as the reader would have (src/json/native.ts): the same checks, in the
 * same order, as `scanSource` makes while it reads. The parsed document becomes the source's `top`.
 */
function fromParsed(top: Map<string, JsonValue>, file: string): ReadbackSource {
  const candidates = top.get("acceptance_candidates");
  top.delete("acceptance_candidates");
  const counts = emptyCounts();
  if (candidates !== undefined && !Array.isArray(candidates)) {
    throw inputError(`acceptance_candidates must be an array, not ${jsonTypeName(candidates)}`, file);
  }
  const kept = candidates ?? [];
  kept.forEach((candidate, index) => countCandidate(candidate, index, counts, file));
  return withSummary(top, counts, file, function* () {
    yield* kept as Map<string, JsonValue>[];
  });
}

/** The source once its candidates are counted: the summary and the copied top-level values checked. */
function withSummary(top: Map<string, JsonValue>, counts: CandidateCounts, file: string, candidates: () => Generator<Map<string, JsonValue>>): ReadbackSource {
  const summaryValue = top.has("summary") ? top.get("summary") : new Map<string, JsonValue>();
  if (!(summaryValue instanceof Map)) {
    throw inputError(`summary must be an object, not ${jsonTypeName(summaryValue)}`, file);
  }
  for (const key of ["schema_version", "status"]) checkPrintable(top.get(key) ?? null, key, file);
  for (const key of Object.values(SUMMARY_SOURCE_FIELDS)) {
    checkPrintable(summaryValue.get(key) ?? null, `summary.${key}`, file);
  }
  return { top, summary: summaryValue, counts, candidates };
}
