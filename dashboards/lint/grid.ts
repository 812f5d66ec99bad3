import type { Finding } from './finding.js';
import { type LintDashboard, type LintPanel, panelTitle } from './model.js';

const COLUMNS = 24;

interface Rect {
  readonly panel: LintPanel;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function rect(p: LintPanel, findings: Finding[]): Rect | undefined {
  const g = p.gridPos;
  const at = { rule: 'panel-gridpos-rule', panel: panelTitle(p) };
  if (g === undefined) {
    findings.push({ ...at, message: 'has no gridPos' });
    return undefined;
  }
  if (!isInt(g.x) || !isInt(g.y) || !isInt(g.w) || !isInt(g.h)) {
    findings.push({ ...at, message: `gridPos ${JSON.stringify(g)} must have integer x, y, w and h` });
    return undefined;
  }
  const r = { panel: p, x: g.x, y: g.y, w: g.w, h: g.h };
  if (r.w < 1 || r.h < 1 || r.x < 0 || r.y < 0) findings.push({ ...at, message: `gridPos x=${r.x} y=${r.y} w=${r.w} h=${r.h} has a negative position or an empty size` });
  else if (r.x + r.w > COLUMNS) findings.push({ ...at, message: `gridPos x=${r.x} w=${r.w} runs to column ${r.x + r.w}, past the ${COLUMNS}-column grid` });
  return r;
}

function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function checkOverlaps(rects: readonly Rect[], findings: Finding[]): void {
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const [a, b] = [rects[i]!, rects[j]!];
      if (overlaps(a, b)) {
        findings.push({ rule: 'panel-gridpos-rule', panel: panelTitle(b.panel), message: `overlaps panel ${JSON.stringify(panelTitle(a.panel))} (x=${b.x} y=${b.y} w=${b.w} h=${b.h} against x=${a.x} y=${a.y} w=${a.w} h=${a.h})` });
      }
    }
  }
}

/**
 * checkGrid checks every panel sits inside the 24-column grid and that no two overlap. Panels of
 * a collapsed row are placed when the row opens, below it, so they are checked among themselves.
 */
export function checkGrid(d: LintDashboard): Finding[] {
  const findings: Finding[] = [];
  const top: Rect[] = [];
  for (const p of d.panels ?? []) {
    const r = rect(p, findings);
    if (r !== undefined) top.push(r);
    const nested = (p.panels ?? []).map((n) => rect(n, findings)).filter((n): n is Rect => n !== undefined);
    checkOverlaps(nested, findings);
  }
  checkOverlaps(top, findings);
  return findings;
}

/** checkIds checks every panel, rows and panels nested in rows included, has its own numeric id. */
export function checkIds(panels: readonly LintPanel[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<number, string>();
  for (const p of panels) {
    if (!isInt(p.id)) {
      findings.push({ rule: 'panel-id-rule', panel: panelTitle(p), message: `has no numeric id (${JSON.stringify(p.id ?? null)})` });
      continue;
    }
    const other = seen.get(p.id);
    if (other !== undefined) findings.push({ rule: 'panel-id-rule', panel: panelTitle(p), panelId: p.id, message: `has id ${p.id}, already used by panel ${JSON.stringify(other)}` });
    else seen.set(p.id, panelTitle(p));
  }
  return findings;
}
