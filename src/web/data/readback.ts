import { isJsonObject, type JsonObject } from "../../json/value.js";
import { readJsonSafely } from "./files.js";
import { str } from "../text.js";
import type { Artifact } from "./artifacts.js";

/** Readback plan reports (`monitoring_post_incident_readback_plan_v1`) among the artifacts. */
export const READBACK_SCHEMA = "monitoring_post_incident_readback_plan_v1";

export interface ReadbackPlanFile {
  id: string;
  doc: JsonObject;
}

export interface ReadbackData {
  plans: ReadbackPlanFile[];
  problems: { path: string; message: string }[];
}

/** Reads every JSON artifact of the reports folders and keeps the readback plans, newest first. */
export function loadReadbackPlans(artifacts: readonly Artifact[]): ReadbackData {
  const plans: ReadbackPlanFile[] = [];
  const problems: ReadbackData["problems"] = [];
  for (const artifact of artifacts) {
    if (artifact.ext !== ".json" || artifact.root.startsWith("approvals") || artifact.root === "results") continue;
    const read = readJsonSafely(artifact.path);
    if (!read.ok) {
      problems.push({ path: artifact.id, message: read.problem });
      continue;
    }
    if (isJsonObject(read.value) && read.value.schema_version === READBACK_SCHEMA) plans.push({ id: artifact.id, doc: read.value });
  }
  plans.sort((a, b) => {
    const ga = str(a.doc.generated_at);
    const gb = str(b.doc.generated_at);
    return ga < gb ? 1 : ga > gb ? -1 : a.id < b.id ? -1 : 1;
  });
  return { plans, problems };
}
