import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../calendar';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { LedgerDef } from '../ledgers/types';
import { validateExtension, validatePeriodOverride, validateStop } from './validate';
import type { ClockEvents, ExtensionApproval } from './types';

const cal = buildWorkCalendar();
const kind = (k: string): LedgerDef => BUILTIN_LEDGERS.find((d) => d.kind === k)!;
const none: ClockEvents = { stops: [], extensions: [] };
const record = { data: { receivedOn: '2026-09-28' } };
const ext = (over: Partial<ExtensionApproval> = {}): ExtensionApproval => ({
  rule: 'reply',
  on: '2026-10-26',
  by: '李主任',
  reason: '需调取历史档案',
  ...over,
});

describe('validateExtension', () => {
  const base = { def: kind('disclosure_request'), record, events: none, role: 'office' as const, calendar: cal, today: '2026-10-27' };

  it('accepts a lawful extension', () => {
    expect(validateExtension({ ...base, extension: ext() })).toEqual([]);
    expect(validateExtension({ ...base, role: 'admin', extension: ext() })).toEqual([]);
  });

  it('refuses a role that may not approve', () => {
    expect(validateExtension({ ...base, role: 'clerk', extension: ext() })).toEqual(['延期须由法治办批准，部门填报员无权批准']);
  });

  it('refuses a second extension (beyond the legal maximum)', () => {
    const events: ClockEvents = { stops: [], extensions: [ext({ on: '2026-10-20' })] };
    expect(validateExtension({ ...base, events, extension: ext() })).toEqual(['「答复期限」已延期一次，依法不得再次延期']);
    const flagged = { data: { receivedOn: '2026-09-28', extended: true } };
    expect(validateExtension({ ...base, record: flagged, extension: ext() })).toEqual(['「答复期限」已延期一次，依法不得再次延期']);
  });

  it('refuses a longer period than the law allows', () => {
    expect(validateExtension({ ...base, extension: ext({ period: { amount: 30, unit: 'working_days' } }) })).toEqual([
      '延期不得超过20个工作日（法定最长期限）',
    ]);
    expect(validateExtension({ ...base, extension: ext({ period: { amount: 10, unit: 'working_days' } }) })).toEqual([]);
    expect(validateExtension({ ...base, extension: ext({ period: { amount: 2, unit: 'months' } }) })).toEqual([
      '延期不得超过20个工作日（法定最长期限）',
    ]);
  });

  it('refuses without a reason, before the start date, after expiry, or in the future', () => {
    expect(validateExtension({ ...base, extension: ext({ reason: '  ' }) })).toEqual(['请填写延期理由']);
    expect(validateExtension({ ...base, extension: ext({ on: '2026-09-20' }) })).toEqual(['批准日期（2026-09-20）不得早于收到申请日期（2026-09-28）']);
    expect(validateExtension({ ...base, today: '2026-11-05', extension: ext({ on: '2026-11-02' }) })).toEqual([
      '原期限已于2026-10-30届满，届满后不能再批准延期',
    ]);
    expect(validateExtension({ ...base, extension: ext({ on: '2026-10-28' }) })).toEqual(['批准日期（2026-10-28）不得晚于今天']);
    expect(validateExtension({ ...base, extension: ext({ on: '2026-13-01' }) })).toEqual(['批准日期「2026-13-01」无效，应为YYYY-MM-DD']);
  });

  it('refuses rules without an extension and unknown rules', () => {
    expect(validateExtension({ ...base, def: kind('litigation'), extension: ext({ rule: 'defence' }) })).toEqual(['「答辩期限」依法不得延期']);
    expect(validateExtension({ ...base, extension: ext({ rule: 'nope' }) })).toEqual(['「政府信息公开申请」没有名为「nope」的期限']);
  });

  it('refuses when already done', () => {
    expect(validateExtension({ ...base, record: { data: { receivedOn: '2026-09-28', repliedOn: '2026-10-20' } }, extension: ext() })).toEqual([
      '「答复期限」已答复，无需延期',
    ]);
  });

  it('a stop moves the original expiry used for the check', () => {
    const events: ClockEvents = { stops: [{ state: '补正中', from: '2026-10-12', to: '2026-10-20', reason: '补正', by: '王芳' }], extensions: [] };
    expect(validateExtension({ ...base, events, today: '2026-11-05', extension: ext({ on: '2026-11-02' }) })).toEqual([]);
  });
});

describe('validateStop', () => {
  const base = { def: kind('disclosure_request'), record, events: none, today: '2026-10-27' };
  const stop = { state: '补正中', from: '2026-10-12', reason: '申请内容不明确', by: '王芳' };

  it('accepts a lawful stop', () => {
    expect(validateStop({ ...base, stop })).toEqual([]);
    expect(validateStop({ ...base, stop: { ...stop, to: '2026-10-20' } })).toEqual([]);
  });

  it('refuses a stop without a reason', () => {
    expect(validateStop({ ...base, stop: { ...stop, reason: '' } })).toEqual(['请填写停止计时的原因']);
  });

  it('refuses a state that does not stop the clock', () => {
    expect(validateStop({ ...base, stop: { ...stop, state: '延期' } })).toEqual(['「延期」不是停止计时的状态']);
    expect(validateStop({ ...base, def: kind('petition'), record: { data: { registeredOn: '2026-09-01' } }, stop })).toEqual([
      '「补正中」不是停止计时的状态',
    ]);
  });

  it('refuses dates before the start, after today, or reversed', () => {
    expect(validateStop({ ...base, stop: { ...stop, from: '2026-09-27' } })).toEqual([
      '停止计时开始日期（2026-09-27）不得早于收到申请日期（2026-09-28）',
    ]);
    expect(validateStop({ ...base, stop: { ...stop, from: '2026-10-28' } })).toEqual(['停止计时开始日期（2026-10-28）不得晚于今天']);
    expect(validateStop({ ...base, stop: { ...stop, to: '2026-10-11' } })).toEqual(['停止计时结束日期（2026-10-11）不得早于开始日期（2026-10-12）']);
    expect(validateStop({ ...base, stop: { ...stop, from: 'x' } })).toEqual(['停止计时开始日期「x」无效，应为YYYY-MM-DD']);
  });

  it('refuses overlapping stops and a second open stop', () => {
    const closed: ClockEvents = { stops: [{ ...stop, to: '2026-10-20' }], extensions: [] };
    expect(validateStop({ ...base, events: closed, stop: { ...stop, from: '2026-10-15' } })).toEqual([
      '与已有的停止计时（补正中，2026-10-12至2026-10-20）重叠',
    ]);
    expect(validateStop({ ...base, events: closed, stop: { ...stop, from: '2026-10-20' } })).toEqual([]);
    const open: ClockEvents = { stops: [stop], extensions: [] };
    expect(validateStop({ ...base, events: open, stop: { ...stop, state: '征求第三方意见中', from: '2026-10-22' } })).toEqual([
      '已有未结束的停止计时（补正中，自2026-10-12起），请先结束',
    ]);
  });
});

describe('validatePeriodOverride', () => {
  it('only configurable rules, sane amounts', () => {
    expect(validatePeriodOverride(kind('legality_review'), 'review', { amount: 10, unit: 'working_days' })).toEqual([]);
    expect(validatePeriodOverride(kind('disclosure_request'), 'reply', { amount: 10, unit: 'working_days' })).toEqual([
      '「答复期限」是法定期限，不能修改',
    ]);
    expect(validatePeriodOverride(kind('dispute'), 'mediate', { amount: 0, unit: 'calendar_days' })).toEqual(['期限应为1至366之间的整数']);
    expect(validatePeriodOverride(kind('dispute'), 'x', { amount: 3, unit: 'calendar_days' })).toEqual(['「矛盾纠纷」没有名为「x」的期限']);
  });
});
