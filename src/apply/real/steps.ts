import { progress, progressDone } from "../../io/log.js";
import { NetBoxError } from "../../netbox/errors.js";
import type { NetBoxResponse } from "../../netbox/transport.js";
import type { WriteClient } from "../../netbox/write-client.js";
import type { CreatedRef, LedgerWriter, Phase } from "../ledger.js";
import { outcomeOfError } from "./netbox-ops.js";

/**
 * One write request, bracketed by the ledger: the intent is fsynced before the request leaves,
 * the outcome after the answer (or its absence). Shared by the write, the rollback and --recover.
 */
export interface ExecutedRequest {
  seq: number;
  phase: Phase;
  level: number | null;
  method: "POST" | "DELETE";
  path: string;
  object_type: string;
  item_ids: string[];
  object_ids: number[];
  /** ok, failed (4xx: NetBox changed nothing), unknown (no usable answer; settled by reading). */
  result: "ok" | "failed" | "unknown";
  status: number | null;
  created_ids: number[];
  error: string | null;
}

export interface StepContext {
  client: WriteClient;
  ledger: LedgerWriter;
  runId: string;
  now: () => string;
  /** Counts every write request of the run (ledger seq). */
  seq: { value: number };
  /** At most this many objects per bulk request (the rollback's DELETEs too). */
  chunkSize: number;
  /** Best-effort audit event (the ledger is the authority once writing began). */
  audit: (event: string, details: Record<string, unknown>) => void;
}

export interface SentRequest {
  executed: ExecutedRequest;
  response: NetBoxResponse | undefined;
  requestId: string | null;
  errorBody: unknown;
  /** NetBox itself answered (API-Version present): its request is over, whatever the status. */
  answeredByNetBox: boolean;
}

export async function sendLogged(
  ctx: StepContext,
  request: { phase: Phase; level: number | null; method: "POST" | "DELETE"; path: string; objectType: string; itemIds: string[]; objectIds: number[]; body: unknown; settleAfter?: string },
  createdFrom?: (response: NetBoxResponse) => CreatedRef[] | undefined,
): Promise<SentRequest> {
  const seq = ++ctx.seq.value;
  ctx.ledger.append({
    kind: "intent",
    run_id: ctx.runId,
    seq,
    phase: request.phase,
    method: request.method,
    path: request.path,
    object_type: request.objectType,
    item_ids: request.itemIds,
    object_ids: request.objectIds,
    ...(request.settleAfter ? { settle_after: request.settleAfter } : {}),
    at: ctx.now(),
  });
  progress(`apply-batch: ${request.phase} request ${seq}: ${request.method} ${request.path}`);
  const executed: ExecutedRequest = {
    seq,
    phase: request.phase,
    level: request.level,
    method: request.method,
    path: request.path,
    object_type: request.objectType,
    item_ids: request.itemIds,
    object_ids: request.objectIds,
    result: "unknown",
    status: null,
    created_ids: [],
    error: null,
  };
  let response: NetBoxResponse | undefined;
  let requestId: string | null = null;
  let errorBody: unknown = null;
  let answeredByNetBox = false;
  let created: CreatedRef[] = [];
  try {
    response = request.method === "POST" ? await ctx.client.post(request.path, request.body) : await ctx.client.delete(request.path, request.body);
    requestId = response.requestId ?? null;
    answeredByNetBox = response.apiVersion !== undefined;
    executed.status = response.status;
    const parsed = createdFrom ? createdFrom(response) : [];
    if (parsed === undefined) {
      // A 2xx we cannot read as the created list: NetBox did something; reading it back settles what.
      executed.result = "unknown";
      executed.error = "NetBox answered 2xx without the created objects in request order";
    } else {
      executed.result = "ok";
      created = parsed;
      executed.created_ids = parsed.map((c) => c.id);
    }
  } catch (error) {
    const outcome = outcomeOfError(error);
    executed.result = outcome.result;
    executed.status = outcome.status;
    executed.error = withDetail(outcome.message, outcome.body);
    requestId = outcome.requestId;
    errorBody = outcome.body;
    answeredByNetBox = error instanceof NetBoxError && error.apiVersion !== undefined;
  } finally {
    progressDone();
  }
  ctx.ledger.append({
    kind: "outcome",
    run_id: ctx.runId,
    seq,
    result: executed.result,
    status: executed.status,
    request_id: requestId,
    netbox_answered: answeredByNetBox,
    created,
    error: executed.error,
    at: ctx.now(),
  });
  ctx.audit(request.phase === "write" ? "apply.write" : `apply.${request.phase}`, {
    seq,
    method: request.method,
    path: request.path,
    object_type: request.objectType,
    items: request.itemIds.length,
    objects: request.objectIds.length,
    result: executed.result,
    status: executed.status,
    created_ids: executed.created_ids,
  });
  return { executed, response, requestId, errorBody, answeredByNetBox };
}

/**
 * NetBox's own words, when it gave some: a 409 says which dependents block a delete, a 403 that
 * the token may not write. (The body was redacted when the error was built.)
 */
function withDetail(message: string, body: unknown): string {
  const detail = body && typeof body === "object" && !Array.isArray(body) ? (body as { detail?: unknown }).detail : undefined;
  return typeof detail === "string" && detail.trim() && !message.includes(detail) ? `${message}: ${detail.trim().slice(0, 300)}` : message;
}
