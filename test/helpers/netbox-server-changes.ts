import type { NetBoxSimulator } from "../../src/netbox/simulator.js";

/**
 * NetBox 4.x's change log as its API answers it: `GET /api/core/object-changes/` with the filters of
 * NetBox's ObjectChangeFilterSet that matter here — `q` (icontains over `user_name`, `object_repr`
 * and `message`, where `changelog_message` is stored), `action`, `changed_object_type`
 * (`app_label.model`), `changed_object_id`, `request_id`, `time_after`/`time_before` — newest first,
 * paginated with limit/offset. Entries appear when their request commits (they are recorded after
 * the simulator carried it out), as ObjectChange rows are saved inside the request's transaction.
 */
const USER_NAME = "opsgate-test";

interface Change {
  id: number;
  time: string;
  request_id: string;
  action: "create" | "update" | "delete";
  changed_object_type: string;
  changed_object_id: number;
  object_repr: string;
  message: string;
}

export class ChangeLog {
  private readonly changes: Change[] = [];
  private seen = 0;

  constructor(private readonly sim: NetBoxSimulator) {}

  /** Takes the simulator's new changelog entries, stamped now (call after each handled request). */
  collect(): void {
    const entries = this.sim.changelog;
    for (; this.seen < entries.length; this.seen++) {
      const entry = entries[this.seen]!;
      this.changes.push({
        id: this.changes.length + 1,
        time: new Date().toISOString(),
        request_id: entry.requestId,
        action: entry.action,
        changed_object_type: entry.objectType,
        changed_object_id: entry.objectId,
        object_repr: `${entry.objectType} ${entry.objectId}`,
        message: entry.message ?? "",
      });
    }
  }

  answer(query: URLSearchParams, origin: string): { status: number; body: unknown } {
    let rows = [...this.changes].reverse();
    const q = query.get("q")?.trim().toLowerCase();
    if (q) rows = rows.filter((c) => [c.message, c.object_repr, USER_NAME].some((text) => text.toLowerCase().includes(q)));
    const many = (key: string): string[] => query.getAll(key);
    if (many("action").length) rows = rows.filter((c) => many("action").includes(c.action));
    if (many("changed_object_type").length) rows = rows.filter((c) => many("changed_object_type").includes(c.changed_object_type));
    if (many("changed_object_id").length) rows = rows.filter((c) => many("changed_object_id").includes(String(c.changed_object_id)));
    if (many("request_id").length) rows = rows.filter((c) => many("request_id").includes(c.request_id));
    const after = query.get("time_after");
    const before = query.get("time_before");
    if (after) {
      const at = Date.parse(after);
      if (Number.isNaN(at)) return { status: 400, body: { time: ["Enter a valid date/time."] } };
      rows = rows.filter((c) => Date.parse(c.time) >= at);
    }
    if (before) rows = rows.filter((c) => Date.parse(c.time) <= Date.parse(before));
    const limit = Math.min(Number(query.get("limit") ?? 50) || 1000, 1000);
    const offset = Number(query.get("offset") ?? 0) || 0;
    const page = rows.slice(offset, offset + limit);
    const link = (at: number): string => {
      const params = new URLSearchParams(query);
      params.set("limit", String(limit));
      params.set("offset", String(at));
      return `${origin}/api/core/object-changes/?${params.toString()}`;
    };
    return {
      status: 200,
      body: {
        count: rows.length,
        next: offset + limit < rows.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        results: page.map((c) => ({
          id: c.id,
          url: `${origin}/api/core/object-changes/${c.id}/`,
          display_url: `${origin}/core/changelog/${c.id}/`,
          display: `${c.object_repr} ${c.action}d`,
          time: c.time,
          user: null,
          user_name: USER_NAME,
          request_id: c.request_id,
          action: { value: c.action, label: c.action[0]!.toUpperCase() + c.action.slice(1) },
          changed_object_type: c.changed_object_type,
          changed_object_id: c.changed_object_id,
          changed_object: null,
          object_repr: c.object_repr,
          message: c.message,
          prechange_data: null,
          postchange_data: null,
        })),
      },
    };
  }
}
