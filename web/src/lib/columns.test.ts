import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { defaultColumns, restoreColumns } from './columns';

const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;

describe('columns', () => {
  it('puts the title field first and skips long texts', () => {
    expect(defaultColumns(petition, 3)).toEqual(['subject', 'registeredOn', 'channel']);
    const event = BUILTIN_LEDGERS.find((d) => d.kind === 'work_event')!;
    expect(defaultColumns(event)).not.toContain('description');
  });
  it('restores a saved choice without fields that no longer exist', () => {
    expect(restoreColumns(petition, JSON.stringify(['channel', 'gone']))).toEqual(['channel']);
    expect(restoreColumns(petition, 'not json')).toEqual(defaultColumns(petition));
    expect(restoreColumns(petition, JSON.stringify(['gone']))).toEqual(defaultColumns(petition));
  });
});
