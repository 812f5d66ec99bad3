import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder } from './common.js';

/**
 * The grid. Grafana lays panels on 24 columns; the SDK's own placement overflows it (16+16 wide
 * panels land at x=16, w=16) and assigns no panel ids, so every dashboard is laid out here:
 * ids count from 1 in reading order, rows are full-width, and a panel that does not fit in what
 * is left of a line starts the next one.
 */

export const GRID_COLUMNS = 24;

/** Placed is a panel with its size in grid units (w of 24 columns, h in 30 px lines). */
export interface Placed {
  readonly panel: PanelBuilder;
  readonly w: number;
  readonly h: number;
}

/** Section is a titled row of panels; a section without a title has no row header. */
export interface Section {
  readonly title?: string;
  readonly panels: readonly Placed[];
}

/** place sizes a panel: `place(p, 8, 8)` is a third of the width, 8 lines high. */
export function place(panel: PanelBuilder, w: number, h: number): Placed {
  if (!Number.isInteger(w) || w < 1 || w > GRID_COLUMNS) throw new Error(`panel width ${w} is not 1..${GRID_COLUMNS}`);
  if (!Number.isInteger(h) || h < 1) throw new Error(`panel height ${h} is not a positive integer`);
  return { panel, w, h };
}

/**
 * layout adds the sections to the dashboard with computed ids and gridPos. Each panel's gridPos
 * is set before the SDK sees it; only the very first item sits at (0, 0), where the SDK's
 * "unset position" rule puts it anyway.
 */
export function layout(builder: dashboard.DashboardBuilder, sections: readonly Section[]): dashboard.DashboardBuilder {
  let id = 1;
  let y = 0;
  for (const section of sections) {
    if (section.title !== undefined) {
      builder.withRow(new dashboard.RowBuilder(section.title).id(id++).gridPos({ x: 0, y, w: GRID_COLUMNS, h: 1 }));
      y += 1;
    }
    let x = 0;
    let lineHeight = 0;
    for (const p of section.panels) {
      if (x + p.w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      p.panel.id(id++);
      p.panel.gridPos({ x, y, w: p.w, h: p.h });
      builder.withPanel(p.panel);
      x += p.w;
      lineHeight = Math.max(lineHeight, p.h);
    }
    y += lineHeight;
  }
  return builder;
}
