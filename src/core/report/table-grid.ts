/** Where each cell of a DocTable sits once spans are laid out (for grid outputs such as .xlsx and Markdown). */
import type { DocTable, DocTableCell } from './types';

export interface PlacedCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  cell: DocTableCell;
}

export function placeCells(t: DocTable): { cells: PlacedCell[]; rows: number; cols: number } {
  const taken: boolean[][] = [];
  const cells: PlacedCell[] = [];
  let cols = 0;
  t.rows.forEach((row, r) => {
    taken[r] ??= [];
    let c = 0;
    for (const cell of row) {
      while (taken[r]![c]) c++;
      const rowSpan = cell.rowSpan ?? 1;
      const colSpan = cell.colSpan ?? 1;
      for (let i = 0; i < rowSpan; i++) for (let j = 0; j < colSpan; j++) (taken[r + i] ??= [])[c + j] = true;
      cells.push({ row: r, col: c, rowSpan, colSpan, cell });
      c += colSpan;
      cols = Math.max(cols, c);
    }
  });
  return { cells, rows: t.rows.length, cols };
}

/** The table as a full grid of texts: a spanned cell's text in each position it covers. */
export function tableTextGrid(t: DocTable): string[][] {
  const { cells, rows, cols } = placeCells(t);
  const grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ''));
  for (const p of cells) for (let i = 0; i < p.rowSpan; i++) for (let j = 0; j < p.colSpan; j++) grid[p.row + i]![p.col + j] = p.cell.text;
  return grid;
}
