import type { FC } from "hono/jsx";
import { isJsonObject, type JsonObject, type JsonValue } from "../../json/value.js";
import type { PageContext } from "../page-context.js";
import { Badge, Empty } from "./layout.js";

/**
 * A dry-run report drawn as a plan: objects by level and type, and the `$ref` edges between items.
 * Never raw JSON (the file itself is one click away under Downloads).
 */
export interface RefEdge {
  from: string;
  field: string;
  to: string;
}

function refEdges(itemId: string, value: JsonValue, at: string, out: RefEdge[]): void {
  if (isJsonObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.$ref === "string") {
      out.push({ from: itemId, field: at, to: value.$ref });
      return;
    }
    for (const key of keys) refEdges(itemId, value[key] as JsonValue, at ? `${at}.${key}` : key, out);
  } else if (Array.isArray(value)) value.forEach((item, i) => refEdges(itemId, item, `${at}[${i}]`, out));
}

export interface PlanView {
  levels: { level: number; types: { objectType: string; items: string[] }[] }[];
  edges: RefEdge[];
}

export function planView(doc: JsonObject): PlanView {
  const requests = Array.isArray(doc.requests) ? doc.requests.filter(isJsonObject) : [];
  const levels = new Map<number, Map<string, string[]>>();
  const edges: RefEdge[] = [];
  for (const request of requests) {
    const level = typeof request.level === "number" ? request.level : Number(request.level ?? 0);
    const type = String(request.object_type ?? "");
    const items = Array.isArray(request.item_ids) ? request.item_ids.map(String) : [];
    const byType = levels.get(level) ?? new Map<string, string[]>();
    byType.set(type, [...(byType.get(type) ?? []), ...items]);
    levels.set(level, byType);
    const payloads = Array.isArray(request.payload) ? request.payload : [];
    payloads.forEach((payload, i) => refEdges(items[i] ?? `#${i}`, payload, "", edges));
  }
  return {
    levels: [...levels.entries()].sort((a, b) => a[0] - b[0]).map(([level, types]) => ({ level, types: [...types.entries()].map(([objectType, items]) => ({ objectType, items })) })),
    edges,
  };
}

export const DryRunPlan: FC<{ ctx: PageContext; doc: JsonObject }> = ({ ctx, doc }) => {
  const { t } = ctx;
  const view = planView(doc);
  const validation = isJsonObject(doc.validation) ? doc.validation : {};
  const checks = Array.isArray(validation.checks) ? validation.checks.filter(isJsonObject) : [];
  const existing = Array.isArray(doc.existing) ? doc.existing.filter(isJsonObject) : [];
  return (
    <div class="plan">
      <p>
        {`${t("verdict")}: `}
        <Badge ctx={ctx} value={String(doc.verdict ?? "")} />
        {` · ${t("generated_at")}: ${String(doc.generated_at ?? "")} · ${t("operator")}: ${String(doc.operator ?? "")}`}
      </p>
      <h4>{t("objects_by_level")}</h4>
      {view.levels.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table class="plan-levels">
          <thead>
            <tr>
              <th class="num">{t("level")}</th>
              <th>{t("object_type")}</th>
              <th>{t("items")}</th>
            </tr>
          </thead>
          <tbody>
            {view.levels.flatMap((level) =>
              level.types.map((type) => (
                <tr>
                  <td class="num">{level.level}</td>
                  <td>{type.objectType}</td>
                  <td>{type.items.join(", ")}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <h4>{t("ref_edges")}</h4>
      {view.edges.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table class="plan-edges">
          <thead>
            <tr>
              <th>{t("ref_from")}</th>
              <th>{t("ref_field")}</th>
              <th>{t("ref_to")}</th>
            </tr>
          </thead>
          <tbody>
            {view.edges.map((edge) => (
              <tr>
                <td>{edge.from}</td>
                <td class="mono">{edge.field}</td>
                <td>{`→ ${edge.to}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {existing.length > 0 ? (
        <>
          <h4>{t("existing")}</h4>
          <ul>
            {existing.map((e) => (
              <li>{`${String(e.item_id ?? "")} · ${String(e.object_type ?? "")} #${String(e.netbox_id ?? "")}`}</li>
            ))}
          </ul>
        </>
      ) : null}
      <details>
        <summary>{`${t("checks")} (${checks.length})`}</summary>
        <table>
          <tbody>
            {checks.map((c) => (
              <tr>
                <td>{String(c.check_id ?? c.name ?? "")}</td>
                <td>
                  <Badge ctx={ctx} value={String(c.status ?? "")} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
};
