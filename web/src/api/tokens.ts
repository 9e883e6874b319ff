import { api } from './client';
import type { Operations } from './generated/api';
import type { Role } from './types';

/** An API token of a service account as the server lists it (src/app/identity/api-tokens.ts); never the secret. */
export type ApiToken = Operations['GET /api/tokens']['response']['items'][number];

export interface IssueToken {
  account: string;
  displayName?: string;
  role: Role;
  orgId: number;
  deptId: number | null;
  name: string;
  expiresInDays: number;
}

export const tokenApi = {
  list: () => api.get<{ items: ApiToken[] }>('/tokens'),
  issue: (body: IssueToken) => api.post<{ token: string; item: ApiToken }>('/tokens', body),
  revoke: (id: number) => api.del<{ ok: true }>(`/tokens/${id}`),
};
