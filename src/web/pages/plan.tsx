import type { FC } from "hono/jsx";
import type { JsonObject } from "../../json/value.js";
import { planViewOf } from "../data/plan-view.js";
import type { PageContext } from "../page-context.js";
import { Badge, Empty } from "./layout.js";

/**
 * An apply-batch report drawn as a plan, from the same view model the terminal draws
 * (src/views/apply-plan.ts): objects by level and type with their key fields, the `$ref` edges
 * between items, what exists, what was created, rolled back or left. Never raw JSON (the file is
 * one click away under Downloads).
 */
export const ApplyPlan: FC<{ ctx: PageContext; doc: JsonObject; gates?: boolean }> = ({ ctx, doc, gates }) => {
  const { t } = ctx;
  const built = planViewOf(doc);
  if ("problem" in built) return <div class="badbox">{built.problem}</div>;
  const view = built.view;
  const edges = view.groups.flatMap((g) => g.items.flatMap((item) => item.refs.map((ref) => ({ from: item.item_id, field: ref.field, to: ref.item_id }))));
  return (
    <div class="plan" data-outcome={view.outcome}>
      <p>
        {`${view.mode === "dry_run" ? t("verdict") : t("outcome")}: `}
        <Badge ctx={ctx} value={view.outcome} />
        {ctx.lang === "en" ? ` · ${view.headline}` : ""}
        <span class="meta">{` · ${t("generated_at")}: ${view.generated_at} · ${t("operator")}: ${view.operator} · NetBox: ${view.netbox}`}</span>
      </p>
      {view.failure ? <div class="badbox">{view.failure}</div> : null}
      {gates && view.gates.length > 0 ? (
        <>
          <h4>{t("gates")}</h4>
          <table class="gates">
            <tbody>
              {view.gates.map((g) => (
                <tr>
                  <td>{g.gate_id}</td>
                  <td>
                    <Badge ctx={ctx} value={g.status} />
                  </td>
                  <td>{g.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h4>{t("objects_by_level")}</h4>
      {view.groups.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table class="plan-levels">
          <thead>
            <tr>
              <th class="num">{t("level")}</th>
              <th>{t("object_type")}</th>
              <th>{t("item")}</th>
              <th>{t("summary")}</th>
              <th>{t("status")}</th>
              <th class="num">{t("netbox_id")}</th>
            </tr>
          </thead>
          <tbody>
            {view.groups.flatMap((group) =>
              group.items.map((item) => (
                <tr>
                  <td class="num">{group.level}</td>
                  <td>{group.object_type}</td>
                  <td>{item.item_id}</td>
                  <td class="mono">{item.fields.map((f) => `${f.name}=${f.value}`).join(" ")}</td>
                  <td>
                    <Badge ctx={ctx} value={item.status} />
                    {item.note ? <div class="meta">{item.note}</div> : null}
                  </td>
                  <td class="num">{item.netbox_id === null ? "" : String(item.netbox_id)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <h4>{t("ref_edges")}</h4>
      {edges.length === 0 ? (
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
            {edges.map((edge) => (
              <tr>
                <td>{edge.from}</td>
                <td class="mono">{edge.field}</td>
                <td>{`→ ${edge.to}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.problems.length > 0 ? (
        <>
          <h4>{t("problems")}</h4>
          <ul>
            {view.problems.map((p) => (
              <li>{`${p.source}${p.item_id ? ` ${p.item_id}` : ""}${p.path ? ` ${p.path}` : ""}: ${p.message}`}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
};
