import { api } from './client';
import type { Role } from './types';

/** An API token of a service account as the server lists it (src/app/identity/api-tokens.ts); never the secret. */
export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  account: string;
  accountName: string;
  role: Role;
  roleLabel: string;
  orgId: number;
  orgName: string;
  deptId: number | null;
  deptName: string | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: 'active' | 'expired' | 'revoked';
  stateLabel: string;
}

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
