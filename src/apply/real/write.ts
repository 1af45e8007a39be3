import { NetBoxError } from "../../netbox/errors.js";
import type { ObjectType } from "../../netbox/object-types.js";
import type { BatchPlan } from "../../schemas/batch-plan.js";
import type { CreatedRef } from "../ledger.js";
import type { Interrupt } from "./interrupt.js";
import { objectUrl, readByIds } from "./netbox-ops.js";
import { inPool } from "./pool.js";
import { rollbackCreated, type CreatedObject, type RollbackResult } from "./rollback.js";
import { describeWrite, keyOf, settleWrites, type PendingWrite } from "./settle.js";
import { sendLogged, type ExecutedRequest, type SentRequest, type StepContext } from "./steps.js";
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
  /** Bulk chunks in flight at once (spread over NetBox's workers). */
  concurrency: number;
  /** How long after its sending an unanswered request may still commit. */
  settleFenceMs: number;
  interrupt: Interrupt;
}

export async function executeWrite(input: WriteInput): Promise<WriteResult> {
  const { ctx, plan, requests, interrupt } = input;
  const items = new Map(plan.items.map((item) => [item.item_id, item]));
  const ids = new Map<string, number>();
  const created: CreatedObject[] = [];
  const payloads = new Map<string, Record<string, unknown>>();
  const writes: ExecutedRequest[] = [];
  const pending: PendingWrite[] = [];
  let failure: WriteResult["failure"] = null;
  let readRequests = 0;

  const send = async (request: PlannedRequest): Promise<void> => {
    // Stop sending once anything failed or a stop was asked; what is in flight is still awaited.
    if (failure || interrupt.requested) return;
    const body = request.payload.map((payload) => resolveRefs(payload, ids) as Record<string, unknown>);
    request.item_ids.forEach((itemId, i) => payloads.set(itemId, body[i]!));
    const fenceAt = Date.now() + input.settleFenceMs;
    const sent = await sendLogged(
      ctx,
      { phase: "write", level: request.level, method: "POST", path: request.path, objectType: request.object_type, itemIds: request.item_ids, objectIds: [], body, settleAfter: new Date(fenceAt).toISOString() },
      (response) => createdFromResponse(response.body, request),
    );
    writes.push(sent.executed);
    if (sent.executed.result === "ok") {
      sent.executed.created_ids.forEach((id, i) => {
        const itemId = request.item_ids[i]!;
        ids.set(itemId, id);
        created.push({ item_id: itemId, object_type: request.object_type, id, level: request.level });
      });
      return;
    }
    failure ??= { seq: sent.executed.seq, message: failureMessage(sent, request), status: sent.executed.status, body: sent.errorBody };
    if (sent.executed.result === "unknown") {
      pending.push({
        runId: ctx.runId,
        seq: sent.executed.seq,
        level: request.level,
        objectType: request.object_type,
        path: request.path,
        items: request.item_ids.map((id) => items.get(id)!),
        payloads: body,
        requestId: sent.requestId,
        answered: sent.answeredByNetBox,
        fenceAt,
      });
    }
  };

  for (const level of [...new Set(requests.map((r) => r.level))].sort((a, b) => a - b)) {
    await inPool(requests.filter((r) => r.level === level), input.concurrency, send);
    if (failure || interrupt.requested) break;
  }
  writes.sort((a, b) => a.seq - b.seq);
  if (!failure && interrupt.requested) failure = interrupted(interrupt);

  const unsettled: LeftObject[] = [];
  if (pending.length > 0) {
    const settled = await settleUnanswered(ctx, pending, { interrupt, batchId: plan.batch_id, knownIds: new Set(created.map((c) => keyOf(c.object_type, c.id))) });
    readRequests += settled.requests;
    created.push(...settled.created);
    unsettled.push(...settled.left);
  }

  let verification: WriteResult["verification"] = { status: "skipped", mismatches: [] };
  if (!failure) {
    const checked = await verifyCreated(ctx, created, payloads);
    readRequests += checked.requests;
    verification = { status: checked.mismatches.length === 0 && !checked.error ? "passed" : "failed", mismatches: checked.mismatches };
    ctx.ledger.append({ kind: "verify", run_id: ctx.runId, status: verification.status === "passed" ? "passed" : "failed", mismatches: checked.mismatches.length, at: ctx.now() });
    ctx.audit("apply.readback", { status: verification.status, objects: created.length, mismatches: checked.mismatches.length });
    if (verification.status === "passed" && !interrupt.requested) {
      return { outcome: "applied", created, writes, verification, failure: null, rollback: null, left: [], readRequests };
    }
    failure = interrupt.requested
      ? interrupted(interrupt)
      : { seq: null, message: checked.error ?? `read-back found ${checked.mismatches.length} field(s) that did not land as staged`, status: null, body: null };
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

/** `opsgate apply-batch <batch_id> `: how every changelog_message of the batch begins. */
export function changelogMarker(batchId: string): string {
  return `opsgate apply-batch ${batchId} `;
}

function interrupted(interrupt: Interrupt): NonNullable<WriteResult["failure"]> {
  return { seq: null, message: `interrupted by ${interrupt.signal ?? "a signal"}: nothing more was sent; what this run created is rolled back`, status: null, body: null };
}

/**
 * What a refused write means, in words an operator can act on: a 403 is a token that cannot write;
 * a 400 names the items NetBox refused (from its list-per-item body, or NetBox 4.7's
 * `{detail, errors: [{index, errors}]}`); a 413 is a proxy's body limit.
 */
function failureMessage(sent: SentRequest, request: PlannedRequest): string {
  const base = sent.executed.error ?? "the write failed";
  const status = sent.executed.status;
  if (status === 403) {
    return `${base}: the token cannot write (a read-only token: write_enabled off, or no permission to add ${request.object_type}); NetBox created nothing from this request`;
  }
  if (status === 413) return `${base}: a proxy in front of NetBox refused the request body as too large; lower OPSGATE_APPLY_CHUNK_SIZE (now ${request.item_ids.length} objects per request)`;
  if (status === 400) {
    const refused = itemErrors(sent.errorBody, request.item_ids);
    if (refused.length > 0) return `${base}: NetBox refused ${refused.length} item(s): ${refused.slice(0, 10).map((r) => `${r.item_id} ${JSON.stringify(r.errors)}`).join("; ")}${refused.length > 10 ? `; and ${refused.length - 10} more` : ""}`;
  }
  return base;
}

export function itemErrors(body: unknown, itemIds: readonly string[]): { item_id: string; errors: unknown }[] {
  const out: { item_id: string; errors: unknown }[] = [];
  if (Array.isArray(body)) {
    (body as unknown[]).forEach((errors, i) => {
      if (errors && typeof errors === "object" && Object.keys(errors).length > 0 && itemIds[i] !== undefined) out.push({ item_id: itemIds[i], errors });
    });
  } else if (body && typeof body === "object" && Array.isArray((body as { errors?: unknown }).errors)) {
    for (const entry of (body as { errors: unknown[] }).errors) {
      const index = (entry as { index?: unknown } | null)?.index;
      if (typeof index === "number" && itemIds[index] !== undefined) out.push({ item_id: itemIds[index], errors: (entry as { errors?: unknown }).errors ?? {} });
    }
  }
  return out;
}

/** An object under an item's natural key, found after a write with no answer, that is not the item's. */
export function conflictLeft(ctx: StepContext, c: CreatedRef): LeftObject {
  return {
    item_id: c.item_id,
    object_type: c.object_type,
    netbox_id: c.id,
    url: objectUrl(ctx.client.baseUrl, c.object_type, c.id),
    why: "found under the item's natural key after a write with no answer, but it does not hold the staged payload: not deleted",
  };
}

/**
 * Settles the writes that had no answer (./settle.ts) for a run or a recovery: each one settled is
 * recorded in the ledger; returned are the objects they created (to roll back, at their level),
 * and what is left for a person (conflicts, strays, writes still open).
 */
export async function settleUnanswered(
  ctx: StepContext,
  pending: readonly PendingWrite[],
  options: { interrupt: Interrupt; batchId: string; knownIds: ReadonlySet<string> },
): Promise<{ created: CreatedObject[]; left: LeftObject[]; requests: number }> {
  const settled = await settleWrites(pending, { client: ctx.client, interrupt: options.interrupt, marker: changelogMarker(options.batchId), knownIds: options.knownIds });
  const created: CreatedObject[] = [];
  const left: LeftObject[] = [];
  for (const s of settled.settled) {
    if (s.open === undefined) {
      // A recovery settles another run's write: the method says which.
      const method = s.pending.runId === ctx.runId ? s.method : `${s.method} (for ${s.pending.runId})`;
      ctx.ledger.append({ kind: "resolution", run_id: ctx.runId, seq: s.pending.seq, method, created: s.created, conflicts: s.conflicts, at: ctx.now() });
    }
    // Whatever was found is rolled back, settled or not; an open request is also listed.
    created.push(...s.created.map((c) => ({ ...c, level: s.pending.level })));
    left.push(...s.conflicts.map((c) => conflictLeft(ctx, c)));
    if (s.open !== undefined) {
      const found = new Set(s.created.map((c) => c.item_id));
      for (const item of s.pending.items.filter((i) => !found.has(i.item_id))) {
        left.push({ item_id: item.item_id, object_type: s.pending.objectType, netbox_id: null, url: null, why: `${describeWrite(s.pending)} ${s.open}` });
      }
    }
  }
  for (const stray of settled.strays) {
    left.push({ item_id: "", object_type: stray.object_type, netbox_id: stray.id, url: objectUrl(ctx.client.baseUrl, stray.object_type, stray.id), why: "created with this batch's changelog marker while a write had no answer, but it holds no item's payload: not deleted" });
  }
  return { created, left, requests: settled.requests };
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
