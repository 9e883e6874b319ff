import { activeCipher } from './active-key';
import type { DataCipher } from './data-cipher';

/**
 * Short secrets and personal text kept in a text column (a TOTP secret, an attachment's file
 * name), sealed with the data cipher like personal fields (SM4-CBC + HMAC-SM3 under the data key,
 * GB/T 39786-2021 重要数据存储机密性/完整性). The stored form is `enc1:` + base64 of the envelope;
 * the associated data binds it to its row, so a value cannot be copied onto another user or record.
 * A value without the prefix is plaintext from before migration 0120 (data-key.ts seals those at
 * the next start) and is returned as it is.
 */
const PREFIX = 'enc1:';

export const isSealedText = (stored: string): boolean => stored.startsWith(PREFIX);

export function sealText(plain: string, aad: string, cipher: DataCipher = activeCipher()): string {
  return PREFIX + cipher.seal(Buffer.from(plain, 'utf8'), aad).toString('base64');
}

export function openText(stored: string, aad: string, cipher: DataCipher = activeCipher()): string {
  return isSealedText(stored) ? cipher.open(Buffer.from(stored.slice(PREFIX.length), 'base64'), aad).toString('utf8') : stored;
}

/** Associated data of a user's TOTP secret. */
export const totpAad = (userId: number) => `totp-secret:${userId}`;
/** Associated data of an attachment's file name: bound to its record, like its content. */
export const attachmentNameAad = (recordId: number) => `attachment-name:${recordId}`;
