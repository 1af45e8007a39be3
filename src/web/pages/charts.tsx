import type { FC } from "hono/jsx";
import type { QueueEntry } from "../../approvals/queue.js";
import type { PageContext } from "../page-context.js";
import { duration } from "./layout.js";

/**
 * Pictures drawn on the server as SVG: no script, no chart library, nothing fetched. Colours are
 * presentation attributes (the CSP forbids inline style).
 */
const DAY = 86_400_000;
const COLORS = { waiting: "#d4a72c", approved: "#8c959f", valid: "#2da44e", soon: "#cf222e", horizon: "#ffebe9", now: "#24292f" };

const ROW = 22;
const LEFT = 170;
const WIDTH = 900;

/** Approvals by age: each waiting or approved record as a bar from its request to now, and an approved one on to its expiry; the 48 h horizon is shaded. */
export const AgeChart: FC<{ ctx: PageContext; entries: QueueEntry[] }> = ({ ctx, entries }) => {
  const rows = entries
    .filter((e) => e.state === "pending" || e.state === "proposed" || (e.state === "approved" && !e.expired))
    .sort((a, b) => b.age_seconds - a.age_seconds)
    .slice(0, 30);
  const now = ctx.now.getTime();
  const start = Math.max(now - 30 * DAY, Math.min(now - DAY, ...rows.map((e) => Date.parse(e.requested_at))));
  const end = now + 7 * DAY;
  const plot = WIDTH - LEFT - 20;
  const x = (t: number): number => LEFT + ((Math.min(Math.max(t, start), end) - start) / (end - start)) * plot;
  const height = 48 + rows.length * ROW + 24;
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={ctx.t("chart_age")}>
      <title>{ctx.t("chart_age")}</title>
      <rect x={x(now)} y={20} width={x(now + 2 * DAY) - x(now)} height={height - 44} fill={COLORS.horizon} />
      <line x1={x(now)} x2={x(now)} y1={16} y2={height - 24} stroke={COLORS.now} stroke-width={2} />
      <text x={x(now) + 3} y={14}>
        {ctx.t("chart_now")}
      </text>
      <text x={x(now + 2 * DAY) + 3} y={14} fill={COLORS.soon}>
        {ctx.t("chart_horizon")}
      </text>
      {rows.map((entry, i) => {
        const y = 30 + i * ROW;
        const requested = Date.parse(entry.requested_at);
        const expires = entry.expires_at ? Date.parse(entry.expires_at) : NaN;
        const soon = Number.isFinite(expires) && expires - now <= 2 * DAY;
        return (
          <g>
            <a href={`/approvals/${encodeURIComponent(entry.approval_id)}`}>
              <text x={4} y={y + 12}>{`${entry.approval_id} · ${duration(ctx, entry.age_seconds * 1000)}`}</text>
            </a>
            <rect x={x(requested)} y={y} width={Math.max(2, x(now) - x(requested))} height={14} fill={entry.state === "approved" ? COLORS.approved : COLORS.waiting}>
              <title>{`${entry.approval_id}: ${entry.state}, ${ctx.t("age")} ${duration(ctx, entry.age_seconds * 1000)}`}</title>
            </rect>
            {requested < start ? (
              <text x={LEFT + 2} y={y + 11} fill="#fff">
                ◀
              </text>
            ) : null}
            {entry.state === "approved" && Number.isFinite(expires) ? (
              <rect x={x(now)} y={y + 3} width={Math.max(2, x(expires) - x(now))} height={8} fill={soon ? COLORS.soon : COLORS.valid}>
                <title>{`${entry.approval_id}: ${ctx.t("expires_at")} ${entry.expires_at ?? ""}`}</title>
              </rect>
            ) : null}
          </g>
        );
      })}
      <g>
        <rect x={LEFT} y={height - 18} width={12} height={10} fill={COLORS.waiting} />
        <text x={LEFT + 16} y={height - 9}>
          {ctx.t("chart_waiting")}
        </text>
        <rect x={LEFT + 240} y={height - 18} width={12} height={10} fill={COLORS.valid} />
        <text x={LEFT + 256} y={height - 9}>
          {ctx.t("chart_valid")}
        </text>
      </g>
    </svg>
  );
};

export interface TimelinePoint {
  lane: string;
  at: string;
  label: string;
  outcome: string;
  href: string;
  hollow?: boolean;
}

const OUTCOME_COLORS: Record<string, string> = {
  applied: "#2da44e",
  recovered: "#0969da",
  rolled_back: "#d4a72c",
  rollback_incomplete: "#cf222e",
  interrupted: "#cf222e",
  ready: "#8c959f",
  blocked: "#d4a72c",
  invalid: "#cf222e",
};

/** Batch runs on a time axis, one lane per batch; dry-runs as hollow dots. */
export const RunsTimeline: FC<{ ctx: PageContext; points: TimelinePoint[] }> = ({ ctx, points }) => {
  const valid = points.filter((p) => Number.isFinite(Date.parse(p.at)));
  const lanes = [...new Set(valid.map((p) => p.lane))].sort().slice(0, 20);
  const times = valid.map((p) => Date.parse(p.at));
  const lo = Math.min(...times, ctx.now.getTime() - DAY);
  const hi = Math.max(...times, lo + DAY);
  const plot = WIDTH - LEFT - 30;
  const x = (t: number): number => LEFT + ((t - lo) / (hi - lo)) * plot;
  const height = 40 + lanes.length * ROW + 20;
  const ticks = [lo, (lo + hi) / 2, hi];
  return (
    <svg viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-label={ctx.t("runs_timeline")}>
      <title>{ctx.t("runs_timeline")}</title>
      {ticks.map((t) => (
        <g>
          <line x1={x(t)} x2={x(t)} y1={20} y2={height - 16} stroke="#d0d7de" />
          <text x={Math.min(x(t) - 40, WIDTH - 110)} y={height - 4}>
            {new Date(t).toISOString().slice(0, 16).replace("T", " ")}
          </text>
        </g>
      ))}
      {lanes.map((lane, i) => {
        const y = 30 + i * ROW;
        return (
          <g>
            <a href={`/batches/${encodeURIComponent(lane)}`}>
              <text x={4} y={y + 4}>
                {lane.length > 26 ? `${lane.slice(0, 25)}…` : lane}
              </text>
            </a>
            <line x1={LEFT} x2={WIDTH - 20} y1={y} y2={y} stroke="#eaeef2" />
            {valid
              .filter((p) => p.lane === lane)
              .map((p) => {
                const color = OUTCOME_COLORS[p.outcome] ?? "#57606a";
                return (
                  <a href={p.href}>
                    <circle cx={x(Date.parse(p.at))} cy={y} r={p.hollow ? 8 : 5} fill={p.hollow ? "#fff" : color} stroke={color} stroke-width={2}>
                      <title>{`${p.label}: ${p.outcome} (${p.at})`}</title>
                    </circle>
                  </a>
                );
              })}
          </g>
        );
      })}
    </svg>
  );
};
