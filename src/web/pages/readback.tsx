import type { FC } from "hono/jsx";
import { isJsonObject, type JsonObject, type JsonValue } from "../../json/value.js";
import type { ReadbackData, ReadbackPlanFile } from "../data/readback.js";
import type { PageContext } from "../page-context.js";
import { Badge, Empty, Layout, ProblemList, QuickFilter, enc } from "./layout.js";

const objects = (value: JsonValue | undefined): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const str = (value: JsonValue | undefined): string => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));
export const readbackHref = (id: string): string => `/readback/${id.split("/").map(enc).join("/")}`;

export const ReadbackListPage: FC<{ ctx: PageContext; data: ReadbackData; configured: boolean }> = ({ ctx, data, configured }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("nav_readback")} active="/readback">
      {!configured ? <p class="meta">{t("not_configured", { flag: "--reports-dir" })}</p> : null}
      {data.plans.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="readback-plans">
          <thead>
            <tr>
              <th>{t("file")}</th>
              <th>{t("generated_at")}</th>
              <th>{t("status")}</th>
              <th class="num">{t("candidates")}</th>
            </tr>
          </thead>
          <tbody>
            {data.plans.map((p) => (
              <tr>
                <td>
                  <a href={readbackHref(p.id)}>{p.id}</a>
                </td>
                <td class="mono">{str(p.doc.generated_at)}</td>
                <td>{str(p.doc.status)}</td>
                <td class="num">{objects(p.doc.readback_candidates).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.problems.length > 0 ? (
        <>
          <h2>{t("problem_files")}</h2>
          <ProblemList ctx={ctx} problems={data.problems} />
        </>
      ) : null}
    </Layout>
  );
};

export const ReadbackPage: FC<{ ctx: PageContext; plan: ReadbackPlanFile }> = ({ ctx, plan }) => {
  const { t } = ctx;
  const doc = plan.doc;
  const candidates = objects(doc.readback_candidates);
  const summary = isJsonObject(doc.summary) ? doc.summary : {};
  const boundaries = isJsonObject(doc.execution_boundaries) ? doc.execution_boundaries : {};
  return (
    <Layout ctx={ctx} title={`${t("readback_plan")} ${plan.id}`} active="/readback">
      <dl class="kv">
        <dt>{t("status")}</dt>
        <dd>{str(doc.status)}</dd>
        <dt>{t("generated_at")}</dt>
        <dd class="mono">{str(doc.generated_at)}</dd>
        <dt>{t("git_commit")}</dt>
        <dd class="mono">{str(doc.git_commit)}</dd>
        <dt>{t("mode")}</dt>
        <dd class="mono">{str(doc.mode)}</dd>
        <dt>{t("download")}</dt>
        <dd>
          <a href={`/download/${plan.id.split("/").map(enc).join("/")}`}>{plan.id}</a>
        </dd>
      </dl>
      <div class="cards">
        {["readback_candidate_count", "write_capable_readback_candidate_count", "reviewer_check_count", "outcome_lane_count", "post_incident_readback_accepted_count", "runtime_gate_open_count"]
          .filter((key) => key in summary)
          .map((key) => (
            <div class="card">
              <div class="n">{str(summary[key])}</div>
              <div class="l mono">{key}</div>
            </div>
          ))}
      </div>
      <h2>{`${t("candidates")} (${candidates.length})`}</h2>
      <QuickFilter ctx={ctx} table="candidates" />
      <table id="candidates">
        <thead>
          <tr>
            <th>{t("candidate")}</th>
            <th>{t("label")}</th>
            <th>{t("status")}</th>
            <th>{t("write_capable")}</th>
            <th>{t("lanes")}</th>
            <th>{t("checks")}</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <tr>
              <td class="mono">{str(c.post_incident_readback_candidate_id)}</td>
              <td>{str(c.label)}</td>
              <td>{str(c.status)}</td>
              <td>{c.write_capable_surface === true ? <Badge ctx={ctx} value="high" /> : ""}</td>
              <td class="num">{Array.isArray(c.outcome_lanes) ? c.outcome_lanes.length : ""}</td>
              <td class="num">{Array.isArray(c.reviewer_checks) ? c.reviewer_checks.length : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("lanes")}</h2>
      <table id="lanes">
        <tbody>
          {objects(doc.outcome_lanes).map((lane) => (
            <tr>
              <td class="mono">{str(lane.lane_id)}</td>
              <td>{str(lane.meaning)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("reviewer_checks")}</h2>
      <table id="reviewer-checks">
        <tbody>
          {objects(doc.reviewer_checks).map((check) => (
            <tr>
              <td class="mono">{str(check.check_id)}</td>
              <td>{str(check.instruction)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("boundaries")}</h2>
      <table id="boundaries">
        <tbody>
          {Object.entries(boundaries).map(([key, value]) => (
            <tr>
              <td class="mono">{key}</td>
              <td>
                <Badge ctx={ctx} value={value === false ? "blocked" : value === true ? "ok" : str(value)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{`${t("blocked_actions")} (${Array.isArray(doc.blocked_actions) ? doc.blocked_actions.length : 0})`}</summary>
        <p class="mono">{Array.isArray(doc.blocked_actions) ? doc.blocked_actions.map(str).join(", ") : ""}</p>
      </details>
    </Layout>
  );
};
