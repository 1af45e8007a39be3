/**
 * What a real NetBox costs in time (SPEC §4, issue 14): a gunicorn pool of `workers`, each request
 * holding one worker for its whole cost (first come, first served; the rest wait in the listen
 * queue), a fixed cost per request, a per-object cost inside a write's transaction that commits
 * only at the end (a look-up during a long POST sees nothing of it), and a per-object
 * serialization cost on reads. The work goes on when the client has gone: a POST whose client timed
 * out or disconnected still commits when its cost is spent.
 */
export interface CostModel {
  /** Server work per request beyond its objects (a real NetBox 4.5: ~55 ms). */
  requestMs?: number;
  /** Per object written, inside the transaction (a real NetBox 4.5: ~30–40 ms). */
  writeObjectMs?: number;
  /** Per object serialized in an answer (a list's results, or the one object). */
  readObjectMs?: number;
  /**
   * The share of `readObjectMs` a read with `?fields=` or `?brief=` costs (default 0.25): NetBox
   * serializes only those fields — a page of interfaces went from 9.5 KB in full to 1 KB with
   * `fields=id,name,device` on a real NetBox 4.5 (rounded up: the per-object query work remains).
   */
  fieldsReadFactor?: number;
  /** gunicorn workers (a real install: 3 here); default 3 when a cost model is given. */
  workers?: number;
}

/** A FIFO pool of workers: `acquire` resolves when a worker is free, in arrival order. */
export class WorkerPool {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  /** Total milliseconds of work charged (for the bench's floor: total work / workers). */
  busyMs = 0;

  constructor(readonly size: number) {
    this.free = size;
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

/** The cost of one request: fixed + per object (written inside a write, serialized in a read). */
export function requestCost(model: CostModel, write: boolean, objects: number, query?: URLSearchParams): number {
  const partial = !write && query !== undefined && (query.has("fields") || query.get("brief") === "true" || query.get("brief") === "1");
  const perObject = (write ? model.writeObjectMs : model.readObjectMs) ?? 0;
  return (model.requestMs ?? 0) + objects * perObject * (partial ? (model.fieldsReadFactor ?? 0.25) : 1);
}

/** How many objects a write's body carries (a bulk list, or one object). */
export function objectsInBody(body: unknown): number {
  return Array.isArray(body) ? body.length : body && typeof body === "object" ? 1 : 0;
}

/** How many objects an answer serializes (a list page's results, a bulk answer, one object). */
export function objectsInAnswer(body: unknown): number {
  if (Array.isArray(body)) return body.length;
  if (body && typeof body === "object") {
    const results = (body as { results?: unknown }).results;
    return Array.isArray(results) ? results.length : 1;
  }
  return 0;
}
