import { DataKeyError, type DataCipher } from './data-cipher';

/**
 * The data key of this process, installed once at start-up (server, CLI) after `ensureDataKey`
 * checked it against the database. It is process configuration like the database URL, not request
 * state: every instance of a deployment is started with the same key.
 */
let active: DataCipher | null = null;

export function useDataCipher(c: DataCipher | null): void {
  active = c;
}

export function activeCipher(): DataCipher {
  if (!active) throw new DataKeyError('未配置数据密钥，无法读写个人信息（见 SECURITY.md：数据保密性）');
  return active;
}

export function hasActiveCipher(): boolean {
  return active !== null;
}
