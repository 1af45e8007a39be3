import { NetBoxError } from "../../netbox/errors.js";
import type { ObjectType } from "../../netbox/object-types.js";
import { BatchPlanSchema, type BatchItem } from "../../schemas/batch-plan.js";
import type { CreatedRef, LedgerLine, LedgerState } from "../ledger.js";
import type { CheckedPlan } from "../plan-check.js";
import type { Interrupt } from "./interrupt.js";
import { objectUrl, readByIds } from "./netbox-ops.js";
import { keyOf, type PendingWrite } from "./settle.js";
import { rollbackCreated, type CreatedObject } from "./rollback.js";
import type { StepContext } from "./steps.js";
import { conflictLeft, lastDeleteError, settleUnanswered, type LeftObject, type WriteResult } from "./write.js";
import { payloadMismatches } from "../readback.js";
import { resolveRefs } from "../refs.js";
import { dependencyLevels } from "../write-plan.js";

/**
 * `--recover` (SPEC §2.4): undo exactly what the unresolved runs created. The ledger says which
 * POSTs answered with which ids; a POST with no recorded answer (crash, kill -9, timeout) is
 * settled the way the run itself would have: created_by_request when its X-Request-ID is known,
 * else natural-key look-ups plus the staged payload. Each object still in NetBox is deleted only if
 * it still holds what was created; one changed since is left, and listed, for a human.
 */
export interface RecoveryInput {
  ctx: StepContext;
  checked: CheckedPlan;
  ledgerState: LedgerState;
  changelog: string;
  settleFenceMs: number;
  interrupt: Interrupt;
}

export async function runRecovery(input: RecoveryInput): Promise<WriteResult> {
  const { ctx } = input;
  const plan = BatchPlanSchema.parse(input.checked.raw);
  const items = new Map(plan.items.map((item) => [item.item_id, item]));
  const levels = dependencyLevels(plan.items);
  const candidates = new Map<string, CreatedObject>();
  const payloads = new Map<string, Record<string, unknown>>();
  const pending: PendingWrite[] = [];
  const left: LeftObject[] = [];
  let readRequests = 0;

  for (const run of input.ledgerState.unresolved.filter((r) => r.mode !== "recover")) {
    const ids = new Map<string, number>();
    const intents = run.lines.filter((l): l is Extract<LedgerLine, { kind: "intent" }> => l.kind === "intent" && l.phase === "write");
    for (const intent of intents) {
      const outcome = run.lines.find((l): l is Extract<LedgerLine, { kind: "outcome" }> => l.kind === "outcome" && l.seq === intent.seq);
      const resolution = run.lines.find((l): l is Extract<LedgerLine, { kind: "resolution" }> => l.kind === "resolution" && l.seq === intent.seq);
      const batchItems = intent.item_ids.map((id) => items.get(id)).filter((i): i is BatchItem => i !== undefined);
      // The payload the run sent: the staged one with the ids known so far in that run.
      const body = batchItems.map((i) => safeResolve(i.staged_payload, ids));
      intent.item_ids.forEach((itemId, i) => body[i] && payloads.set(itemId, body[i]));
      let created: CreatedRef[] = [];
      if (outcome?.result === "ok") created = outcome.created;
      else if (outcome?.result === "failed") created = [];
      else if (resolution) {
        created = resolution.created;
        for (const c of resolution.conflicts) left.push(conflictLeft(ctx, c));
      } else {
        // No answer on record: it may have committed, or may still (until its fence).
        const fenceAt = Math.max(Date.parse(intent.at) + 1000 + input.settleFenceMs, intent.settle_after ? Date.parse(intent.settle_after) : 0);
        pending.push({
          runId: run.runId,
          seq: intent.seq,
          level: levels.get(intent.item_ids[0] ?? "") ?? 0,
          objectType: intent.object_type as ObjectType,
          path: intent.path,
          items: batchItems,
          payloads: body,
          requestId: outcome?.request_id ?? null,
          answered: outcome?.netbox_answered === true,
          fenceAt,
        });
      }
      for (const c of created) {
        ids.set(c.item_id, c.id);
        candidates.set(keyOf(c.object_type, c.id), { ...c, level: levels.get(c.item_id) ?? 0 });
      }
    }
  }

  if (pending.length > 0) {
    const settled = await settleUnanswered(ctx, pending, { interrupt: input.interrupt, batchId: plan.batch_id, knownIds: new Set(candidates.keys()) });
    readRequests += settled.requests;
    for (const c of settled.created) candidates.set(keyOf(c.object_type, c.id), c);
    left.push(...settled.left);
  }

  // Still there and still as created? Only then is it ours to delete.
  const toDelete: CreatedObject[] = [];
  for (const objectType of new Set([...candidates.values()].map((c) => c.object_type))) {
    const group = [...candidates.values()].filter((c) => c.object_type === objectType);
    try {
      const read = await readByIds(ctx.client, objectType as ObjectType, group.map((c) => c.id));
      readRequests += read.requests;
      for (const object of group) {
        const found = read.objects.get(object.id);
        if (!found) continue; // already gone (a rollback step, or deleted with its interface)
        const mismatches = payloadMismatches(objectType, payloads.get(object.item_id) ?? {}, found);
        if (mismatches.length === 0) toDelete.push(object);
        else {
          left.push({
            item_id: object.item_id,
            object_type: objectType,
            netbox_id: object.id,
            url: objectUrl(ctx.client.baseUrl, objectType, object.id),
            why: `changed since the interrupted run created it (${mismatches.map((m) => m.field).join(", ")}): not deleted`,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof NetBoxError)) throw error;
      for (const object of group) left.push({ item_id: object.item_id, object_type: objectType, netbox_id: object.id, url: objectUrl(ctx.client.baseUrl, objectType, object.id), why: `could not be read back (${error.message})` });
    }
  }

  const rollback = await rollbackCreated(ctx, toDelete, "recover", input.changelog);
  readRequests += rollback.readRequests;
  for (const o of rollback.remaining) left.push({ item_id: o.item_id, object_type: o.object_type, netbox_id: o.id, url: objectUrl(ctx.client.baseUrl, o.object_type, o.id), why: `still in NetBox after the recovery's delete${lastDeleteError(rollback, o.id, o.object_type)}` });
  ctx.audit("apply.recover", { candidates: candidates.size, deleted: toDelete.length - rollback.remaining.length, left: left.length });
  return {
    outcome: left.length === 0 ? "rolled_back" : "rollback_incomplete",
    created: [],
    writes: [],
    verification: { status: "skipped", mismatches: [] },
    failure: null,
    rollback,
    left,
    readRequests,
  };
}

function safeResolve(payload: Record<string, unknown>, ids: ReadonlyMap<string, number>): Record<string, unknown> {
  try {
    return resolveRefs(payload, ids) as Record<string, unknown>;
  } catch {
    // A $ref whose target the run never created: that request cannot have been sent.
    return payload;
  }
}
