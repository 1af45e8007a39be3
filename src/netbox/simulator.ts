import { randomUUID } from "node:crypto";
import { SIM_OBJECT_TYPES, type NetBoxState, type SimObjectType } from "../schemas/netbox-state.js";
import { MODELS, renderRow, type FieldKind, type Fields, type ModelContext, type Row } from "./simulator-models.js";
import { parseNetBoxInt, valueProblem } from "./values.js";
import { FilterIndex, indexSpec, type IndexSpec } from "./simulator-index.js";

/**
 * An in-process NetBox (SPEC §4) holding the objects of a `netbox_state_v1` file. It answers
 * NetBox's REST requests with NetBox's rules: required fields, unique interface names per device,
 * global uniqueness of IPs and prefixes, atomic bulk create (validate all, then save all), bulk
 * delete, cascade of an interface's IPs, nested representations and NetBox-shaped 400 bodies.
 * No auth and no HTTP here: the test server and simulate mode put those around it.
 */
export interface SimRequest {
  method: string;
  /** Path without the query, e.g. `/api/dcim/interfaces/`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body (undefined when none). */
  body?: unknown;
  /** `http://127.0.0.1:8000`: where object URLs and `next` links point. */
  origin: string;
}

export interface SimResponse {
  status: number;
  body: unknown;
  requestId: string;
  apiVersion: string;
}

export interface ChangelogEntry {
  requestId: string;
  action: "create" | "update" | "delete";
  objectType: SimObjectType;
  objectId: number;
  message: string | undefined;
}

export interface SimulatorOptions {
  /** Makes X-Request-ID deterministic in simulate mode; random UUIDs by default. */
  requestId?: () => string;
  /** NetBox's MAX_PAGE_SIZE setting (default 1000): the largest `limit` honoured. */
  maxPageSize?: number;
}

const DEFAULT_VERSION = "4.4.0";
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const CHANGELOG_MAX = 200;

export class NetBoxSimulator {
  readonly netboxVersion: string;
  readonly apiVersion: string;
  readonly enforceGlobalUnique: boolean;
  readonly changelog: ChangelogEntry[] = [];
  private readonly tables = new Map<SimObjectType, Map<number, Row>>();
  /** Per table: the list filters' indexes (by filter name) and the uniqueness checks' (by spec). */
  private readonly indexes = new Map<SimObjectType, Map<string | IndexSpec, FilterIndex>>();
  /** Highest id per table (NetBox never hands out an id below it); dropped when that row goes. */
  private readonly maxIds = new Map<SimObjectType, number>();
  private readonly nextRequestId: () => string;
  private readonly maxPageSize: number;

  constructor(state?: NetBoxState, options: SimulatorOptions = {}) {
    this.netboxVersion = state?.netbox_version ?? DEFAULT_VERSION;
    this.apiVersion = this.netboxVersion.split(".").slice(0, 2).join(".");
    this.enforceGlobalUnique = state?.enforce_global_unique ?? true;
    this.nextRequestId = options.requestId ?? randomUUID;
    this.maxPageSize = options.maxPageSize ?? MAX_PAGE_SIZE;
    for (const type of SIM_OBJECT_TYPES) this.tables.set(type, new Map());
    for (const type of SIM_OBJECT_TYPES) {
      // Rows are kept in id order (lists answer in it); new ids only ever grow.
      for (const object of [...(state?.objects[type] ?? [])].sort((a, b) => a.id - b.id)) {
        const { id, ...fields } = object;
        this.table(type).set(id, { id, fields: { ...MODELS[type].defaults, ...this.known(type, fields) }, createdByRequest: undefined });
      }
    }
  }

  /** The objects now held, in the state file's shape (for assertions and `--simulate` reports). */
  snapshot(): NetBoxState {
    const objects: NetBoxState["objects"] = {};
    for (const type of SIM_OBJECT_TYPES) {
      const rows = [...this.table(type).values()];
      if (rows.length > 0) objects[type] = rows.map((row) => ({ id: row.id, ...row.fields }));
    }
    return { schema_version: "netbox_state_v1", netbox_version: this.netboxVersion, enforce_global_unique: this.enforceGlobalUnique, objects };
  }

  /** Rendered objects of one type, as NetBox's API would return them. */
  list(type: SimObjectType, origin = "http://netbox.invalid"): Fields[] {
    const ctx = this.context(origin);
    return [...this.table(type).values()].map((row) => renderRow(type, row, ctx));
  }

  handle(request: SimRequest): SimResponse {
    const requestId = this.nextRequestId();
    const { status, body } = this.route(request, requestId);
    return { status, body, requestId, apiVersion: this.apiVersion };
  }

  private route(request: SimRequest, requestId: string): { status: number; body: unknown } {
    const method = request.method.toUpperCase();
    if (request.path === "/api/status/") {
      if (method !== "GET") return notAllowed(method);
      return { status: 200, body: this.status() };
    }
    const match = /^\/api\/([a-z-]+\/[a-z-]+)\/(?:(\d+)\/)?$/.exec(request.path);
    const type = match ? SIM_OBJECT_TYPES.find((t) => MODELS[t].endpoint === match[1]) : undefined;
    if (!match || !type) return { status: 404, body: { detail: "Not found." } };
    const ctx = this.context(request.origin);
    const id = match[2] === undefined ? undefined : Number(match[2]);
    if (id === undefined) {
      if (method === "GET") return this.listResponse(type, request, ctx);
      if (method === "POST") return this.create(type, request.body, ctx, requestId);
      if (method === "DELETE") return this.bulkDelete(type, request.body, requestId);
      return notAllowed(method);
    }
    const row = this.table(type).get(id);
    if (!row) return { status: 404, body: { detail: "Not found." } };
    if (method === "GET") return { status: 200, body: this.shaped(type, renderRow(type, row, ctx), request.query) };
    if (method === "PATCH") return this.patch(type, row, request.body, ctx, requestId);
    if (method === "DELETE") {
      const unencodable = surrogateFailure(this.netboxVersion, [request.body]);
      if (unencodable) return unencodable;
      this.deleteRow(type, id, requestId, changelogOf(request.body));
      return { status: 204, body: null };
    }
    return notAllowed(method);
  }

  /**
   * NetBox ≥ 4.0 on a GET: `?fields=a,b` keeps only those serializer fields (unknown names are
   * ignored), else `?brief=true` keeps the model's brief fields. Older NetBox ignores both here.
   */
  private shaped(type: SimObjectType, object: Fields, query: URLSearchParams): Fields {
    if (this.major < 4) return object;
    const fields = query.get("fields");
    const keep = fields ? fields.split(",") : query.get("brief") && query.get("brief") !== "false" && query.get("brief") !== "0" ? MODELS[type].briefFields : undefined;
    if (!keep) return object;
    const wanted = new Set(keep);
    return Object.fromEntries(Object.entries(object).filter(([key]) => wanted.has(key)));
  }

  private get major(): number {
    return Number(this.netboxVersion.split(".")[0]);
  }

  private status(): Fields {
    return {
      "django-version": "5.2",
      "installed-apps": {},
      "netbox-version": this.netboxVersion,
      "netbox-full-version": this.netboxVersion,
      plugins: {},
      "python-version": "3.12.0",
      "rq-workers-running": 1,
    };
  }

  private listResponse(type: SimObjectType, request: SimRequest, ctx: ModelContext): { status: number; body: unknown } {
    const spec = MODELS[type];
    const grouped = new Map<string, string[]>();
    for (const [key, value] of request.query) {
      const values = grouped.get(key);
      if (values) values.push(value);
      else grouped.set(key, [value]);
    }
    // Indexed filters narrow the rows by hash look-ups (the smallest set drives); the others are
    // tested on what is left — a list costs what it returns, not rows × filter values.
    const indexed: { index: FilterIndex; values: string[] }[] = [];
    const tested: { test: (row: Row, value: string, ctx: ModelContext) => boolean; values: string[] }[] = [];
    for (const [key, values] of grouped) {
      if (key === "limit" || key === "offset" || key === "brief" || key === "ordering" || key === "fields" || key === "omit") continue;
      const numeric = key === "id" || key.endsWith("_id") || key === "vid";
      const bad = numeric ? values.find((v) => v !== "null" && !/^\d+$/.test(v)) : undefined;
      if (bad !== undefined) return { status: 400, body: { [key]: [`Select a valid choice. ${bad} is not one of the available choices.`] } };
      const index = this.index(type, key);
      if (index) {
        indexed.push({ index, values });
        continue;
      }
      const test = spec.filters[key];
      if (test) tested.push({ test, values }); // NetBox ignores filters it does not know
    }
    let rows: Row[];
    if (indexed.length === 0) rows = [...this.table(type).values()];
    else {
      const sets = indexed.map(({ index, values }) => index.lookup(values));
      const smallest = sets.reduce((a, b) => (b.size < a.size ? b : a));
      const others = indexed.filter((_, i) => sets[i] !== smallest).map(({ index, values }) => ({ index, keys: new Set(values.map((v) => index.spec.valueKey(v)).filter((k) => k !== undefined)) }));
      rows = [...smallest]
        .sort((a, b) => a - b)
        .map((id) => this.table(type).get(id)!)
        .filter((row) => others.every(({ index, keys }) => index.matches(row, keys)));
    }
    for (const { test, values } of tested) rows = rows.filter((row) => values.some((value) => test(row, value, ctx)));
    const limitText = request.query.get("limit");
    let limit = limitText === null || !/^\d+$/.test(limitText) ? Math.min(DEFAULT_PAGE_SIZE, this.maxPageSize) : Number(limitText);
    if (limit === 0 || limit > this.maxPageSize) limit = this.maxPageSize;
    const offsetText = request.query.get("offset");
    const offset = offsetText !== null && /^\d+$/.test(offsetText) ? Number(offsetText) : 0;
    const page = rows.slice(offset, offset + limit);
    const link = (at: number): string => {
      const params = new URLSearchParams(request.query);
      params.set("limit", String(limit));
      if (at <= 0) params.delete("offset");
      else params.set("offset", String(at));
      return `${request.origin}${request.path}?${params.toString()}`;
    };
    return {
      status: 200,
      body: {
        count: rows.length,
        next: offset + limit < rows.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        results: page.map((row) => this.shaped(type, renderRow(type, row, ctx), request.query)),
      },
    };
  }

  /** A list is validated whole and saved whole (NetBox wraps bulk create in one transaction). */
  private create(type: SimObjectType, body: unknown, ctx: ModelContext, requestId: string): { status: number; body: unknown } {
    const bulk = Array.isArray(body);
    const items: unknown[] = bulk ? body : [body];
    if (bulk && items.length === 0) return { status: 400, body: { non_field_errors: ["Expected a list of items but got type \"list\"."] } };
    const unencodable = surrogateFailure(this.netboxVersion, items);
    if (unencodable) return unencodable;
    const prepared = items.map((item) => this.prepare(type, item, ctx, undefined));
    if (prepared.some((p) => Object.keys(p.errors).length > 0)) {
      return { status: 400, body: bulk ? prepared.map((p) => p.errors) : prepared[0]?.errors };
    }
    const keys = new Set<string>();
    for (const p of prepared) {
      const key = MODELS[type].uniqueKey?.(p.fields, ctx);
      if (key === undefined) continue;
      if (keys.has(key)) {
        // Both rows passed validation against the database; the second INSERT violates the unique
        // constraint inside the transaction, which rolls back: NetBox answers 500.
        return { status: 500, body: serverError(this.netboxVersion, "IntegrityError", `duplicate key value violates unique constraint (${type})`) };
      }
      keys.add(key);
    }
    const created = prepared.map((p) => {
      const id = this.nextId(type);
      const row: Row = { id, fields: p.fields, createdByRequest: requestId };
      this.table(type).set(id, row);
      this.maxIds.set(type, id);
      for (const index of this.indexesOf(type)) index.add(row);
      this.changelog.push({ requestId, action: "create", objectType: type, objectId: id, message: p.changelog });
      return renderRow(type, row, ctx);
    });
    return { status: 201, body: bulk ? created : created[0] };
  }

  private patch(type: SimObjectType, row: Row, body: unknown, ctx: ModelContext, requestId: string): { status: number; body: unknown } {
    if (!isPlainObject(body)) return { status: 400, body: invalidData(body) };
    const unencodable = surrogateFailure(this.netboxVersion, [body]);
    if (unencodable) return unencodable;
    const merged = { ...row.fields, ...this.known(type, body) };
    const prepared = this.prepare(type, { ...merged, changelog_message: body.changelog_message }, ctx, row.id);
    if (Object.keys(prepared.errors).length > 0) return { status: 400, body: prepared.errors };
    for (const index of this.indexesOf(type)) index.remove(row);
    row.fields = prepared.fields;
    for (const index of this.indexesOf(type)) index.add(row);
    this.changelog.push({ requestId, action: "update", objectType: type, objectId: row.id, message: prepared.changelog });
    return { status: 200, body: renderRow(type, row, ctx) };
  }

  /** Bulk DELETE `[{"id": N}, ...]`: ids that do not exist are skipped (NetBox answers 204). */
  private bulkDelete(type: SimObjectType, body: unknown, requestId: string): { status: number; body: unknown } {
    if (!Array.isArray(body)) return { status: 400, body: { non_field_errors: ["Expected a list of items."] } };
    const errors = body.map((item) => (isPlainObject(item) && typeof item.id === "number" ? {} : { id: ["This field is required."] }));
    if (errors.some((e) => Object.keys(e).length > 0)) return { status: 400, body: errors };
    const unencodable = surrogateFailure(this.netboxVersion, body);
    if (unencodable) return unencodable;
    for (const item of body as { id: number; changelog_message?: unknown }[]) {
      if (this.table(type).has(item.id)) this.deleteRow(type, item.id, requestId, changelogOf(item));
    }
    return { status: 204, body: null };
  }

  private deleteRow(type: SimObjectType, id: number, requestId: string, message: string | undefined): void {
    const row = this.table(type).get(id);
    if (row) for (const index of this.indexesOf(type)) index.remove(row);
    this.table(type).delete(id);
    if (this.maxIds.get(type) === id) this.maxIds.delete(type);
    this.changelog.push({ requestId, action: "delete", objectType: type, objectId: id, message });
    // Cascades NetBox's foreign keys apply: a device takes its interfaces, an interface its IPs.
    if (type === "dcim.device") {
      for (const row of [...this.table("dcim.interface").values()]) {
        if (row.fields.device === id) this.deleteRow("dcim.interface", row.id, requestId, message);
      }
    }
    if (type === "dcim.interface") {
      for (const row of [...this.table("ipam.ipaddress").values()]) {
        if (row.fields.assigned_object_type === "dcim.interface" && row.fields.assigned_object_id === id) {
          this.deleteRow("ipam.ipaddress", row.id, requestId, message);
        }
      }
    }
  }

  /** Field checks of one object: NetBox's serializer errors, keyed by field. */
  private prepare(
    type: SimObjectType,
    item: unknown,
    ctx: ModelContext,
    selfId: number | undefined,
  ): { fields: Fields; errors: Record<string, string[]>; changelog: string | undefined } {
    if (!isPlainObject(item)) return { fields: {}, errors: invalidData(item), changelog: undefined };
    const spec = MODELS[type];
    const errors: Record<string, string[]> = {};
    const given = this.known(type, item);
    for (const name of spec.required) {
      if (!(name in given)) errors[name] = ["This field is required."];
      else if (given[name] === null) errors[name] = ["This field may not be null."];
      else if (given[name] === "") errors[name] = ["This field may not be blank."];
    }
    for (const [name, value] of Object.entries(given)) {
      if (errors[name] || value === null) continue;
      const kind = spec.fields[name]!;
      const problem = this.fieldProblem(kind, value, ctx);
      if (problem) errors[name] = [problem];
      else given[name] = parsedValue(kind, value);
    }
    const changelog = item.changelog_message;
    if (changelog !== undefined && changelog !== null) {
      if (typeof changelog !== "string") errors.changelog_message = ["Not a valid string."];
      // Django counts characters (code points), not UTF-16 units.
      else if (codePoints(changelog) > CHANGELOG_MAX) errors.changelog_message = [`Ensure this field has no more than ${CHANGELOG_MAX} characters.`];
    }
    let fields = { ...spec.defaults, ...given };
    if (spec.normalize) fields = spec.normalize(fields);
    if (Object.keys(errors).length === 0 && spec.validate) Object.assign(errors, spec.validate(fields, ctx, selfId));
    return { fields, errors, changelog: typeof changelog === "string" ? changelog : undefined };
  }

  private fieldProblem(kind: (typeof MODELS)[SimObjectType]["fields"][string], value: unknown, ctx: ModelContext): string | undefined {
    switch (kind.kind) {
      case "string":
        return typeof value === "string" ? undefined : "Not a valid string.";
      case "mac":
        return valueProblem({ kind: "mac" }, value);
      case "bool":
        return typeof value === "boolean" ? undefined : "Must be a valid boolean.";
      case "int":
        // DRF's IntegerField: `"9000"` is 9000.
        return valueProblem({ kind: "int", min: kind.min ?? -Infinity, max: kind.max ?? Infinity }, value);
      case "fk": {
        const id = isPlainObject(value) ? value.id : value;
        if (typeof id !== "number" || !Number.isInteger(id)) return `Incorrect type. Expected pk value, received ${typeof value}.`;
        return ctx.find(kind.to, id) ? undefined : `Related object not found using the provided numeric ID: ${id}`;
      }
      case "choice":
        return valueProblem({ kind: "choice", choices: Object.keys(kind.choices), allowBlank: kind.allowBlank ?? false }, value);
      default:
        return undefined;
    }
  }

  /** Only the model's fields are kept: NetBox silently ignores unknown top-level fields. */
  private known(type: SimObjectType, item: Record<string, unknown>): Fields {
    const spec = MODELS[type];
    const out: Fields = {};
    for (const [name, value] of Object.entries(item)) {
      if (!(name in spec.fields)) continue;
      const kind = spec.fields[name]!;
      out[name] = kind.kind === "fk" && isPlainObject(value) && typeof value.id === "number" ? value.id : value;
    }
    return out;
  }

  private nextId(type: SimObjectType): number {
    let max = this.maxIds.get(type);
    if (max === undefined) {
      max = 0;
      for (const id of this.table(type).keys()) if (id > max) max = id;
      this.maxIds.set(type, max);
    }
    return max + 1;
  }

  /** The index of one filter (or one uniqueness check's spec) over one table, built on first use and kept current after. */
  private index(type: SimObjectType, filter: string | IndexSpec): FilterIndex | undefined {
    const spec = typeof filter === "string" ? indexSpec(type, filter) : filter;
    if (!spec) return undefined;
    let byFilter = this.indexes.get(type);
    if (!byFilter) this.indexes.set(type, (byFilter = new Map<string | IndexSpec, FilterIndex>()));
    let index = byFilter.get(filter);
    if (!index) byFilter.set(filter, (index = new FilterIndex(spec, this.table(type).values())));
    return index;
  }

  private indexesOf(type: SimObjectType): Iterable<FilterIndex> {
    return this.indexes.get(type)?.values() ?? [];
  }

  private table(type: SimObjectType): Map<number, Row> {
    return this.tables.get(type)!;
  }

  private context(origin: string): ModelContext {
    return {
      origin: origin.replace(/\/$/, ""),
      enforceGlobalUnique: this.enforceGlobalUnique,
      find: (type, id) => this.table(type).get(id),
      rows: (type) => [...this.table(type).values()],
      rowsKeyed: (type, spec, key) => [...(this.index(type, spec)?.lookup([key]) ?? [])].sort((a, b) => a - b).map((id) => this.table(type).get(id)!),
    };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function invalidData(value: unknown): Record<string, string[]> {
  const kind = value === null ? "NoneType" : Array.isArray(value) ? "list" : typeof value === "string" ? "str" : typeof value;
  return { non_field_errors: [`Invalid data. Expected a dictionary, but got ${kind}.`] };
}

function changelogOf(body: unknown): string | undefined {
  return isPlainObject(body) && typeof body.changelog_message === "string" ? body.changelog_message : undefined;
}

function notAllowed(method: string): { status: number; body: unknown } {
  return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
}

function serverError(version: string, exception: string, error: string): Fields {
  return { error, exception, netbox_version: version, python_version: "3.12.0" };
}

/** What NetBox stores for an accepted request value: integers parsed, strings trimmed (DRF). */
function parsedValue(kind: FieldKind, value: unknown): unknown {
  if (kind.kind === "int") {
    const n = parseNetBoxInt(value);
    return n === undefined ? value : Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  if (kind.kind === "string" && typeof value === "string") return value.trim();
  return value;
}

function codePoints(text: string): number {
  return Array.from(text).length;
}

/**
 * NetBox answers 500 when a changelog message holds a lone surrogate (half a character): the
 * database driver cannot encode it (`UnicodeEncodeError ... surrogates not allowed`).
 */
function surrogateFailure(version: string, items: readonly unknown[]): { status: number; body: unknown } | undefined {
  for (const item of items) {
    const message = isPlainObject(item) ? item.changelog_message : undefined;
    if (typeof message !== "string" || message.isWellFormed()) continue;
    const chars = [...message];
    const at = chars.findIndex((ch) => ch.length === 1 && ch.charCodeAt(0) >= 0xd800 && ch.charCodeAt(0) <= 0xdfff);
    const code = chars[at]?.charCodeAt(0) ?? 0;
    return {
      status: 500,
      body: serverError(version, "UnicodeEncodeError", `'utf-8' codec can't encode character '\\u${code.toString(16)}' in position ${at}: surrogates not allowed`),
    };
  }
  return undefined;
}
