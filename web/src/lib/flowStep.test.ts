import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../../../src/core/ledgers/kinds';
import { batchTransitions, stepDateError, stepDateLabel, stepFields, stepRefusal } from './flowStep';

const petition = BUILTIN_LEDGERS.find((d) => d.kind === 'petition')!;
const disclosure = BUILTIN_LEDGERS.find((d) => d.kind === 'disclosure_request')!;
const suggestion = BUILTIN_LEDGERS.find((d) => d.kind === 'deputy_suggestion')!;
const step = (def: typeof petition, key: string) => def.flow!.transitions.find((t) => t.key === key)!;

describe('batch flow steps', () => {
  it('offers the steps the role may take that apply to at least one selected record', () => {
    expect(batchTransitions(petition, ['登记', '登记'], 'clerk').map((t) => t.key)).toEqual(['accept']);
    expect(batchTransitions(petition, ['登记', '受理'], 'clerk').map((t) => t.key)).toEqual(['accept', 'handle', 'close']);
    // 答复 asks for fields (one value for all); 延期 sets a flag, a decision per record: not a batch step.
    expect(batchTransitions(disclosure, ['收到', null], 'office').map((t) => t.key)).toEqual(['correction', 'consult', 'reply']);
    expect(batchTransitions(suggestion, ['交办'], 'clerk').map((t) => t.key)).toEqual(['handle', 'reply']);
    expect(batchTransitions(petition, [], 'clerk')).toEqual([]);
  });
  it("says why a step does not apply to a record, in the server's words", () => {
    expect(stepRefusal(suggestion, step(suggestion, 'reply'), '已答复')).toBe('当前状态为「已答复」，不能执行「答复」（仅限「交办」、「办理中」状态）');
    expect(stepRefusal(suggestion, step(suggestion, 'reply'), null)).toBeNull();
  });
  it('names the fields and the date a step asks for', () => {
    expect(stepFields(suggestion, step(suggestion, 'reply')).map((f) => f.label)).toEqual(['办理结果']);
    expect(stepDateLabel(suggestion, step(suggestion, 'reply'))).toBe('答复日期');
    expect(stepDateLabel(suggestion, step(suggestion, 'handle'))).toBe('开始办理日期');
  });
  it("refuses a step date as the server does", () => {
    expect(stepDateError('2026-02-30', '答复日期', '2026-03-16')).toBe('办理日期「2026-02-30」无效，应为YYYY-MM-DD');
    expect(stepDateError('2026-03-17', '答复日期', '2026-03-16')).toBe('办理日期（2026-03-17）不得晚于今天');
    expect(stepDateError('', '答复日期', '2026-03-16')).toBe('请填写答复日期');
    expect(stepDateError('2026-03-16', '答复日期', '2026-03-16')).toBeNull();
  });
});
