import { NetBoxError } from "../../netbox/errors.js";
import { OBJECT_TYPES, type ObjectType } from "../../netbox/object-types.js";
import type { CreatedRef } from "../ledger.js";
import { chunksOf } from "../write-plan.js";
import { readByIds } from "./netbox-ops.js";
import { sendLogged, type ExecutedRequest, type StepContext } from "./steps.js";

/**
 * Removing what a run created (SPEC §2.4): bulk DELETE on each list endpoint, newest level first
 * (IP addresses before their interfaces; deleting an interface would take its IPs anyway, and bulk
 * delete skips ids already gone), then read back by id. Whatever is still there gets one more
 * try object by object; whatever survives that is listed for a human.
 */
export interface CreatedObject extends CreatedRef {
  level: number;
}

export interface RollbackResult {
  requests: ExecutedRequest[];
  /** Objects still in NetBox after the rollback (or whose absence could not be confirmed). */
  remaining: CreatedObject[];
  readRequests: number;
}

const TYPE_DELETE_ORDER: readonly ObjectType[] = ["ipam.ipaddress", "dcim.interface", "ipam.prefix", "ipam.vlan"];

export async function rollbackCreated(ctx: StepContext, created: readonly CreatedObject[], phase: "rollback" | "recover", changelog: string): Promise<RollbackResult> {
  const requests: ExecutedRequest[] = [];
  let readRequests = 0;
  const levels = [...new Set(created.map((c) => c.level))].sort((a, b) => b - a);
  for (const level of levels) {
    for (const objectType of TYPE_DELETE_ORDER) {
      // Bounded like the creates: one chunk per bulk DELETE, each with its own intent and outcome.
      for (const group of chunksOf(created.filter((c) => c.level === level && c.object_type === objectType), ctx.chunkSize)) {
        const sent = await sendLogged(ctx, {
          phase,
          level,
          method: "DELETE",
          path: OBJECT_TYPES[objectType].endpoint,
          objectType,
          itemIds: group.map((c) => c.item_id),
          objectIds: group.map((c) => c.id),
          body: group.map((c) => ({ id: c.id, changelog_message: changelog })),
        });
        requests.push(sent.executed);
      }
    }
  }
  let left = await stillPresent(ctx, created);
  readRequests += left.requests;
  if (left.objects.length > 0 && left.confirmed) {
    // A bulk delete is all-or-none (a 409 on one id keeps them all): retry one by one.
    for (const object of left.objects) {
      const sent = await sendLogged(ctx, {
        phase,
        level: object.level,
        method: "DELETE",
        path: `${OBJECT_TYPES[object.object_type as ObjectType].endpoint}${object.id}/`,
        objectType: object.object_type,
        itemIds: [object.item_id],
        objectIds: [object.id],
        body: { changelog_message: changelog },
      });
      requests.push(sent.executed);
    }
    left = await stillPresent(ctx, created);
    readRequests += left.requests;
  }
  ctx.ledger.append({ kind: "remaining", run_id: ctx.runId, objects: left.objects.map(({ item_id, object_type, id }) => ({ item_id, object_type, id })), at: ctx.now() });
  return { requests, remaining: left.objects, readRequests };
}

/**
 * Which of `created` NetBox still holds. If NetBox cannot be read, none is confirmed gone: every
 * object is reported as left, because "probably deleted" is not an answer to give an operator.
 */
async function stillPresent(ctx: StepContext, created: readonly CreatedObject[]): Promise<{ objects: CreatedObject[]; confirmed: boolean; requests: number }> {
  const present: CreatedObject[] = [];
  let requests = 0;
  try {
    for (const objectType of TYPE_DELETE_ORDER) {
      const group = created.filter((c) => c.object_type === objectType);
      if (group.length === 0) continue;
      const read = await readByIds(ctx.client, objectType, group.map((c) => c.id));
      requests += read.requests;
      for (const object of group) if (read.objects.has(object.id)) present.push(object);
    }
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    return { objects: [...created], confirmed: false, requests };
  }
  return { objects: present, confirmed: true, requests };
}
