import { call } from './typed';
import type { SupervisionBoard, SupervisionCell, SupervisionRow } from './generated/api';

/** The 督办 board (src/app/supervision.ts), typed from the server's schema. */
export type { SupervisionBoard, SupervisionCell, SupervisionRow };

export const supervisionApi = {
  board: (orgId?: number) => call('GET /api/supervision', { query: { orgId } }),
};
