import { visibleLength, type Term } from "./style.js";

/**
 * A plain-text table (`kubectl get`): a header row, columns as wide as their widest cell, two
 * spaces apart; when the terminal is narrower, the widest columns give way first (cut with "…").
 */
export interface TableColumn {
  title: string;
  /** Right-aligned (numbers). */
  right?: boolean;
  /** Free text (details, summaries): gives way first when the terminal is narrow. */
  flexible?: boolean;
}

const GAP = 2;
const MIN_COLUMN = 4;
const FLEXIBLE_MIN = 16;

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/**
 * Column widths that fit `total`: flexible columns give way first (down to a readable width),
 * then the widest column, one step at a time.
 */
export function fitWidths(natural: readonly number[], total: number, flexible: readonly boolean[] = []): number[] {
  const widths = [...natural];
  const used = (): number => widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1);
  for (let i = 0; i < widths.length && used() > total; i++) {
    if (!flexible[i]) continue;
    widths[i] = Math.max(Math.min(widths[i] ?? 0, FLEXIBLE_MIN), (widths[i] ?? 0) - (used() - total));
  }
  while (used() > total) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if ((widths[i] ?? 0) > (widths[widest] ?? 0)) widest = i;
    if ((widths[widest] ?? 0) <= MIN_COLUMN) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/**
 * Rows of plain cells; `paint(row, column, text)` may colour a cell after it was cut to width
 * (so colour codes never count against the width).
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  term: Term,
  paint: (row: number, column: number, text: string) => string = (_r, _c, text) => text,
): string[] {
  const natural = columns.map((column, c) => Math.max(visibleLength(column.title), ...rows.map((row) => visibleLength(row[c] ?? ""))));
  const widths = fitWidths(
    natural,
    term.width,
    columns.map((column) => Boolean(column.flexible)),
  );
  const line = (cells: readonly string[], painter: (c: number, text: string) => string): string =>
    cells
      .map((cell, c) => {
        const width = widths[c] ?? 0;
        const text = cut(cell, width);
        const pad = " ".repeat(Math.max(0, width - [...text].length));
        const last = c === cells.length - 1;
        const padded = columns[c]?.right ? `${pad}${painter(c, text)}` : `${painter(c, text)}${last ? "" : pad}`;
        return padded;
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  const header = line(
    columns.map((column) => column.title),
    (_c, text) => term.style.bold(text),
  );
  return [header, ...rows.map((row, r) => line(row, (c, text) => paint(r, c, text)))];
}
