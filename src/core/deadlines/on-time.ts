import type { DeadlineState } from '../ledgers/types';

export interface OnTimeSummary {
  /** Records whose deadline is met or missed (按期办结 + 逾期办结). */
  closed: number;
  closedOnTime: number;
  closedLate: number;
  /** closedOnTime / closed, null when nothing closed. */
  onTimeRate: number | null;
  open: number;
  dueSoon: number;
  overdueNow: number;
}

/** On-time figures over records' deadline states (null = no deadline, not counted). */
export function summarizeOnTime(states: Iterable<DeadlineState | null | undefined>): OnTimeSummary {
  let onTime = 0;
  let late = 0;
  let normal = 0;
  let near = 0;
  let overdue = 0;
  for (const s of states) {
    if (s === '按期办结') onTime++;
    else if (s === '逾期办结') late++;
    else if (s === '正常') normal++;
    else if (s === '临期') near++;
    else if (s === '逾期') overdue++;
  }
  const closed = onTime + late;
  return {
    closed,
    closedOnTime: onTime,
    closedLate: late,
    onTimeRate: closed ? onTime / closed : null,
    open: normal + near + overdue,
    dueSoon: near,
    overdueNow: overdue,
  };
}
