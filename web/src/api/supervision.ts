import { api } from './client';

/** The 督办 board (src/app/supervision.ts). */
export interface SupervisionCell {
  near: number;
  overdue: number;
}
export interface SupervisionRow {
  label: string;
  orgId: number;
  deptId: number | null;
  cells: Record<string, SupervisionCell>;
  near: number;
  overdue: number;
}
export interface SupervisionBoard {
  orgId: number;
  orgName: string;
  by: 'dept' | 'town';
  kinds: { kind: string; label: string }[];
  rows: SupervisionRow[];
  totals: { cells: Record<string, SupervisionCell>; near: number; overdue: number };
}

export const supervisionApi = {
  board: (orgId?: number) => api.get<SupervisionBoard>('/supervision', { orgId }),
};
