import type { Storage } from '../db/connect';
import type { Actor } from '../core/access/policy';
import { LedgerRegistry } from './ledger-registry';

/** What every command needs: the storage, the ledger definitions and the clock. */
export interface AppContext {
  storage: Storage;
  registry: LedgerRegistry;
  now(): Date;
}

export function createContext(storage: Storage, now: () => Date = () => new Date()): AppContext {
  return { storage, registry: new LedgerRegistry(storage), now };
}

/** The acting user of a command, or the system (CLI, jobs) with full rights. */
export type Who = Actor;

export function systemActor(): Actor {
  return { userId: 0, username: 'system', displayName: '系统', role: 'admin', orgId: 0, orgPath: '/', deptId: null, ip: null, system: true };
}
