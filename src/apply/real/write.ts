import { NetBoxError } from "../../netbox/errors.js";
import type { ObjectType } from "../../netbox/object-types.js";
import type { BatchItem, BatchPlan } from "../../schemas/batch-plan.js";
import type { CreatedRef } from "../ledger.js";
import { objectUrl, readByIds, resolveUnknownCreate } from "./netbox-ops.js";
import { rollbackCreated, type CreatedObject, type RollbackResult } from "./rollback.js";
import { sendLogged, type ExecutedRequest, type StepContext } from "./steps.js";
import { payloadMismatches, readbackFields, type FieldMismatch } from "../readback.js";
import { resolveRefs } from "../refs.js";
import type { PlannedRequest } from "../write-plan.js";

/**
 * The real write (SPEC §2.4), after every gate passed: the planned bulk POSTs level by level with
 * `$ref`s resolved to the ids just created, every created object read back and compared with its
 * staged payload, and on any failure after the first write a rollback of everything created.
 */
export type WriteOutcome = "applied" | "rolled_back" | "rollback_incomplete";

export interface Mismatch extends FieldMismatch {
  item_id: string;
  object_type: string;
  netbox_id: number;
}

export interface LeftObject {
  item_id: string;
  object_type: string;
  netbox_id: number | null;
  url: string | null;
  why: string;
}

export interface WriteResult {
  outcome: WriteOutcome;
  created: CreatedObject[];
  writes: ExecutedRequest[];
  verification: { status: "passed" | "failed" | "skipped"; mismatches: Mismatch[] };
  failure: { seq: number | null; message: string; status: number | null; body: unknown } | null;
  rollback: RollbackResult | null;
  /** Objects left in NetBox by a failed run (rollback_incomplete), each with why. */
  left: LeftObject[];
  readRequests: number;
}

export interface WriteInput {
  ctx: StepContext;
  plan: BatchPlan;
  requests: readonly PlannedRequest[];
  rollbackChangelog: string;
}

export async function executeWrite(input: WriteInput): Promise<WriteResult> {
  const { ctx, plan, requests } = input;
  const items = new Map(plan.items.map((item) => [item.item_id, item]));
  const ids = new Map<string, number>();
  const created: CreatedObject[] = [];
  const payloads = new Map<string, Record<string, unknown>>();
  const writes: ExecutedRequest[] = [];
  const unsettled: LeftObject[] = [];
  let failure: WriteResult["failure"] = null;
  let readRequests = 0;

  for (const request of requests) {
    const body = request.payload.map((payload) => resolveRefs(payload, ids) as Record<string, unknown>);
    request.item_ids.forEach((itemId, i) => payloads.set(itemId, body[i]!));
    const sent = await sendLogged(
      ctx,
      { phase: "write", level: request.level, method: "POST", path: request.path, objectType: request.object_type, itemIds: request.item_ids, objectIds: [], body },
      (response) => createdFromResponse(response.body, request),
    );
    writes.push(sent.executed);
    if (sent.executed.result === "ok") {
      sent.executed.created_ids.forEach((id, i) => {
        const itemId = request.item_ids[i]!;
        ids.set(itemId, id);
        created.push({ item_id: itemId, object_type: request.object_type, id, level: request.level });
      });
      continue;
    }
    failure = { seq: sent.executed.seq, message: sent.executed.error ?? "the write failed", status: sent.executed.status, body: sent.errorBody };
    if (sent.executed.result === "unknown") {
      const settled = await settle(ctx, request, items, body, sent.requestId, sent.executed.seq);
      readRequests += settled.requests;
      created.push(...settled.created);
      unsettled.push(...settled.left);
    }
    break;
  }

  let verification: WriteResult["verification"] = { status: "skipped", mismatches: [] };
  if (!failure) {
    const checked = await verifyCreated(ctx, created, payloads);
    readRequests += checked.requests;
    verification = { status: checked.mismatches.length === 0 && !checked.error ? "passed" : "failed", mismatches: checked.mismatches };
    ctx.ledger.append({ kind: "verify", run_id: ctx.runId, status: verification.status === "passed" ? "passed" : "failed", mismatches: checked.mismatches.length, at: ctx.now() });
    ctx.audit("apply.readback", { status: verification.status, objects: created.length, mismatches: checked.mismatches.length });
    if (verification.status === "passed") {
      return { outcome: "applied", created, writes, verification, failure: null, rollback: null, left: [], readRequests };
    }
    failure = {
      seq: null,
      message: checked.error ?? `read-back found ${checked.mismatches.length} field(s) that did not land as staged`,
      status: null,
      body: null,
    };
  }

  ctx.ledger.append({ kind: "rollback_start", run_id: ctx.runId, reason: failure.message, at: ctx.now() });
  const rollback = await rollbackCreated(ctx, created, "rollback", input.rollbackChangelog);
  readRequests += rollback.readRequests;
  ctx.audit("apply.rollback", { deleted_requests: rollback.requests.length, remaining: rollback.remaining.length, unsettled: unsettled.length });
  const left: LeftObject[] = [
    ...rollback.remaining.map((o) => ({
      item_id: o.item_id,
      object_type: o.object_type,
      netbox_id: o.id,
      url: objectUrl(ctx.client.baseUrl, o.object_type, o.id),
      why: `still in NetBox after the rollback${lastDeleteError(rollback, o.id, o.object_type)}`,
    })),
    ...unsettled,
  ];
  return {
    outcome: left.length === 0 ? "rolled_back" : "rollback_incomplete",
    created,
    writes,
    verification,
    failure,
    rollback,
    left,
    readRequests,
  };
}

/** NetBox's 201 for a bulk create: the created objects, in request order. */
function createdFromResponse(body: unknown, request: PlannedRequest): CreatedRef[] | undefined {
  if (!Array.isArray(body) || body.length !== request.item_ids.length) return undefined;
  const refs: CreatedRef[] = [];
  for (let i = 0; i < body.length; i++) {
    const id = (body[i] as { id?: unknown } | null)?.id;
    if (typeof id !== "number" && typeof id !== "bigint") return undefined;
    refs.push({ item_id: request.item_ids[i]!, object_type: request.object_type, id: Number(id) });
  }
  return refs;
}

/** Settles a POST whose outcome is unknown by reading NetBox; records the answer in the ledger. */
async function settle(
  ctx: StepContext,
  request: PlannedRequest,
  items: ReadonlyMap<string, BatchItem>,
  body: Record<string, unknown>[],
  requestId: string | null,
  seq: number,
): Promise<{ created: CreatedObject[]; left: LeftObject[]; requests: number }> {
  const batchItems = request.item_ids.map((id) => items.get(id)!);
  try {
    const resolution = await resolveUnknownCreate(ctx.client, request.object_type, batchItems, body, requestId);
    ctx.ledger.append({ kind: "resolution", run_id: ctx.runId, seq, method: resolution.method, created: resolution.created, conflicts: resolution.conflicts, at: ctx.now() });
    return {
      created: resolution.created.map((c) => ({ ...c, level: request.level })),
      left: resolution.conflicts.map((c) => ({
        item_id: c.item_id,
        object_type: c.object_type,
        netbox_id: c.id,
        url: objectUrl(ctx.client.baseUrl, c.object_type, c.id),
        why: "found under the item's natural key after a write with no answer, but it does not hold the staged payload: not deleted",
      })),
      requests: resolution.requests,
    };
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    // NetBox cannot be read either: nobody can say what this request created. --recover asks again.
    return {
      created: [],
      left: request.item_ids.map((itemId) => ({
        item_id: itemId,
        object_type: request.object_type,
        netbox_id: null,
        url: null,
        why: `write ${seq} got no answer and NetBox could not be read to settle it (${error.message}); run --recover when NetBox is back`,
      })),
      requests: 0,
    };
  }
}

async function verifyCreated(
  ctx: StepContext,
  created: readonly CreatedObject[],
  payloads: ReadonlyMap<string, Record<string, unknown>>,
): Promise<{ mismatches: Mismatch[]; requests: number; error: string | undefined }> {
  const mismatches: Mismatch[] = [];
  let requests = 0;
  try {
    for (const objectType of new Set(created.map((c) => c.object_type))) {
      const group = created.filter((c) => c.object_type === objectType);
      const fields = readbackFields(group.map((c) => payloads.get(c.item_id) ?? {}));
      const read = await readByIds(ctx.client, objectType as ObjectType, group.map((c) => c.id), undefined, fields);
      requests += read.requests;
      for (const object of group) {
        const found = read.objects.get(object.id);
        const base = { item_id: object.item_id, object_type: object.object_type, netbox_id: object.id };
        if (!found) {
          mismatches.push({ ...base, field: "(object)", expected: "created", actual: "(absent on read-back)" });
          continue;
        }
        for (const m of payloadMismatches(objectType, payloads.get(object.item_id) ?? {}, found)) mismatches.push({ ...base, ...m });
      }
    }
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    return { mismatches, requests, error: `the read-back failed: ${error.message}` };
  }
  return { mismatches, requests, error: undefined };
}

/** Why the last DELETE of this object failed (e.g. NetBox's 409: dependents), for the human. */
export function lastDeleteError(rollback: RollbackResult, id: number, objectType: string): string {
  const failed = rollback.requests.filter((r) => r.method === "DELETE" && r.object_type === objectType && r.object_ids.includes(id) && r.error);
  const last = failed.at(-1);
  return last ? ` (${last.error})` : "";
}
