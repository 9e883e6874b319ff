import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../calendar';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { LedgerDef, RecordData } from '../ledgers/types';
import { computeDeadline } from './compute';
import type { ClockEvents, DeadlineOptions, DeadlineResult } from './types';

const cal = buildWorkCalendar();

function kind(k: string): LedgerDef {
  const d = BUILTIN_LEDGERS.find((x) => x.kind === k);
  if (!d) throw new Error(k);
  return d;
}

function run(
  k: string | LedgerDef,
  data: RecordData,
  opts: { events?: ClockEvents; today?: string; status?: string; options?: DeadlineOptions } = {},
): DeadlineResult {
  const r = computeDeadline({
    def: typeof k === 'string' ? kind(k) : k,
    record: { data, status: opts.status ?? null },
    events: opts.events ?? null,
    calendar: cal,
    today: opts.today ?? '2026-01-01',
    options: opts.options,
  });
  if (!r) throw new Error('no deadline');
  return r;
}

const due = (k: string, data: RecordData, opts?: Parameters<typeof run>[2]): string => run(k, data, opts).dueOn;

describe('disclosure_request — 20 working days (政府信息公开条例 art. 33)', () => {
  it('crosses 国庆 and counts the 10-10 调休 Saturday', () => {
    const r = run('disclosure_request', { receivedOn: '2026-09-28' }, { today: '2026-10-12' });
    expect(r.dueOn).toBe('2026-10-30');
    expect(r.state).toBe('正常');
    expect(r.provisional).toBe(false);
    expect(r.explanation).toBe(
      '2026-09-28 收到申请，按20个工作日计算（10月1日至7日国庆节假期不计，10月10日调休上班计入），应于2026-10-30前答复',
    );
  });

  it('crosses 春节 with both 调休 Saturdays', () => {
    // 2-11,12,13, 2-14 (Sat, worked), 2-24..27, 2-28 (Sat, worked), 3-2..6, 3-9..13, 3-16
    expect(due('disclosure_request', { receivedOn: '2026-02-10' })).toBe('2026-03-16');
  });

  it('a 补正 restarts the 20 working days from the corrected request (art. 30)', () => {
    // Received Mon 03-02; notice 03-04 (due by 03-02 + 7 working days = 03-11); corrected 03-16.
    // 03-16 + 20 working days: 03-17..20, 23..27, 30..04-03, (04-04..06 清明), 04-07..10, 04-13, 04-14.
    const events: ClockEvents = {
      stops: [{ state: '补正中', from: '2026-03-04', to: '2026-03-16', reason: '申请内容不明确', by: '王芳' }],
      extensions: [],
    };
    const r = run('disclosure_request', { receivedOn: '2026-03-02' }, { events, today: '2026-03-17' });
    expect(r.dueOn).toBe('2026-04-14');
    expect(r.stops).toEqual([]);
    expect(r.restart).toEqual({
      state: '补正中', from: '2026-03-04', to: '2026-03-16', open: false, reason: '申请内容不明确', by: '王芳', startOn: '2026-03-16',
    });
    expect(r.notice).toEqual({
      label: '补正告知期限',
      basis: '《中华人民共和国政府信息公开条例》第三十条（自收到申请之日起7个工作日内一次性告知申请人作出补正）',
      dueOn: '2026-03-11',
      on: '2026-03-04',
      late: false,
    });
    expect(r.basis).toContain('第三十条（答复期限自行政机关收到补正的申请之日起计算）');
    expect(r.explanation).toBe(
      '2026-03-02 收到申请，2026-03-04起补正中（申请内容不明确；补正告知期限2026-03-11，按期告知），' +
        '2026-03-16 收到补正后的申请，重新计算20个工作日（4月4日至6日清明假期不计），应于2026-04-14前答复',
    );
    // As a pause ((03-04, 03-16] = 8 working days) it would have been due 04-10 and 逾期 on 04-13.
    expect(run('disclosure_request', { receivedOn: '2026-03-02' }, { events, today: '2026-04-13' }).state).toBe('临期');
  });

  it('while the 补正 is awaited the clock stands still and the earliest due date moves with today', () => {
    const events: ClockEvents = { stops: [{ state: '补正中', from: '2026-03-04', reason: '申请内容不明确', by: '王芳' }], extensions: [] };
    const r = run('disclosure_request', { receivedOn: '2026-03-02' }, { events, today: '2026-03-10' });
    expect(r.stopped).toBe(true);
    expect(r.restart?.open).toBe(true);
    expect(r.restart?.startOn).toBe('2026-03-10');
    // 03-10 + 20 working days, 清明 04-04..06 not counted.
    expect(r.dueOn).toBe('2026-04-08');
    expect(r.state).toBe('正常');
    expect(r.explanation).toContain('停止计时，收到补正后的申请之日起重新计算20个工作日，暂按2026-03-10收到补正后的申请计算');
    // Weeks later it is still not overdue: the period has not begun again.
    expect(run('disclosure_request', { receivedOn: '2026-03-02' }, { events, today: '2026-05-06' }).state).toBe('正常');
  });

  it('a 补正 notice later than 7 working days after receipt is flagged (art. 30)', () => {
    const events: ClockEvents = { stops: [{ state: '补正中', from: '2026-03-13', to: '2026-03-16', reason: '', by: '王芳' }], extensions: [] };
    const r = run('disclosure_request', { receivedOn: '2026-03-02' }, { events, today: '2026-03-17' });
    expect(r.notice).toMatchObject({ dueOn: '2026-03-11', on: '2026-03-13', late: true });
    expect(r.explanation).toContain('2026-03-13起补正中（补正告知期限2026-03-11，逾期告知）');
  });

  it('the 补正 notice limit is known before any notice (over 国庆: 09-28 + 7 working days = 10-13)', () => {
    // 09-29, 09-30, (10-01..07 国庆), 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
    const r = run('disclosure_request', { receivedOn: '2026-09-28' });
    expect(r.notice).toEqual(expect.objectContaining({ dueOn: '2026-10-13', late: false }));
    expect(r.notice?.on).toBeUndefined();
    expect(r.restart).toBeUndefined();
  });

  it('a 征求第三方意见 stop pauses the clock (art. 33 para. 2) and is named in the explanation', () => {
    const events: ClockEvents = {
      stops: [{ state: '征求第三方意见中', from: '2026-10-12', to: '2026-10-20', reason: '涉及第三方商业秘密', by: '王芳' }],
      extensions: [],
    };
    const r = run('disclosure_request', { receivedOn: '2026-09-28' }, { events, today: '2026-10-21' });
    // (10-12, 10-20] holds 6 working days: 10-30 + 6 working days = 11-09.
    expect(r.dueOn).toBe('2026-11-09');
    expect(r.stops).toEqual([
      { state: '征求第三方意见中', from: '2026-10-12', to: '2026-10-20', open: false, reason: '涉及第三方商业秘密', by: '王芳', days: 6 },
    ]);
    expect(r.explanation).toContain('2026-10-12至2026-10-20征求第三方意见中（涉及第三方商业秘密），停止计时6个工作日');
    expect(r.explanation).toMatch(/应于2026-11-09前答复$/);
  });

  it('an open stop keeps moving the due date until it ends', () => {
    const events: ClockEvents = {
      stops: [{ state: '征求第三方意见中', from: '2026-10-12', reason: '涉及第三方商业秘密', by: '王芳' }],
      extensions: [],
    };
    const r = run('disclosure_request', { receivedOn: '2026-09-28' }, { events, today: '2026-10-20' });
    expect(r.stopped).toBe(true);
    expect(r.dueOn).toBe('2026-11-09');
    expect(r.state).toBe('正常');
    expect(r.explanation).toContain('自2026-10-12起征求第三方意见中（涉及第三方商业秘密），停止计时，截至2026-10-20已停止6个工作日');
    expect(run('disclosure_request', { receivedOn: '2026-09-28' }, { events, today: '2026-10-13' }).dueOn).toBe('2026-11-02');
  });

  it('a stop after the due date does not rescue an overdue request', () => {
    const events: ClockEvents = {
      stops: [{ state: '征求第三方意见中', from: '2026-11-02', to: '2026-11-05', reason: '征求意见', by: '王芳' }],
      extensions: [],
    };
    const r = run('disclosure_request', { receivedOn: '2026-09-28' }, { events, today: '2026-11-06' });
    expect(r.dueOn).toBe('2026-10-30');
    expect(r.state).toBe('逾期');
  });

  it('stops in states that do not stop this rule are ignored', () => {
    const events: ClockEvents = { stops: [{ state: '延期', from: '2026-10-12', to: '2026-10-20', reason: 'x', by: 'y' }], extensions: [] };
    expect(due('disclosure_request', { receivedOn: '2026-09-28' }, { events })).toBe('2026-10-30');
  });

  it('an approved extension adds 20 working days after the original due date', () => {
    const events: ClockEvents = {
      stops: [],
      extensions: [{ rule: 'reply', on: '2026-10-26', by: '李主任', reason: '需调取历史档案' }],
    };
    const r = run('disclosure_request', { receivedOn: '2026-09-28', extended: true }, { events, today: '2026-10-27' });
    // 10-30 + 20 working days: 11-2..6, 9..13, 16..20, 23..27.
    expect(r.dueOn).toBe('2026-11-27');
    expect(r.extension).toEqual({ period: { amount: 20, unit: 'working_days' }, on: '2026-10-26', by: '李主任', reason: '需调取历史档案' });
    expect(r.explanation).toContain('经李主任于2026-10-26批准延期20个工作日（理由：需调取历史档案），原应于2026-10-30前答复');
  });

  it('the extended flag alone (an imported record) also extends', () => {
    const r = run('disclosure_request', { receivedOn: '2026-09-28', extended: true });
    expect(r.dueOn).toBe('2026-11-27');
    expect(r.explanation).toContain('经批准延期20个工作日');
  });

  it('stop and extension together', () => {
    const events: ClockEvents = {
      stops: [{ state: '征求第三方意见中', from: '2026-10-12', to: '2026-10-20', reason: '涉及第三方', by: '王芳' }],
      extensions: [{ rule: 'reply', on: '2026-11-02', by: '李主任', reason: '需调取历史档案' }],
    };
    // 11-09 + 20 working days = 12-07.
    expect(due('disclosure_request', { receivedOn: '2026-09-28' }, { events })).toBe('2026-12-07');
  });

  it('restart, then a pause, then an extension', () => {
    const events: ClockEvents = {
      stops: [
        { state: '补正中', from: '2026-10-12', to: '2026-10-20', reason: '申请内容不明确', by: '王芳' },
        { state: '征求第三方意见中', from: '2026-10-26', to: '2026-10-28', reason: '涉及第三方', by: '王芳' },
      ],
      extensions: [{ rule: 'reply', on: '2026-11-12', by: '李主任', reason: '需调取历史档案' }],
    };
    // 10-20 + 20 working days = 11-17; the pause (10-26, 10-28] holds 2 working days: 11-19;
    // + 20 working days: 11-20, 23..27, 11-30..12-04, 07..11, 14..17 = 12-17.
    const r = run('disclosure_request', { receivedOn: '2026-09-28' }, { events, today: '2026-11-13' });
    expect(r.dueOn).toBe('2026-12-17');
    expect(r.stops.map((s) => [s.state, s.days])).toEqual([['征求第三方意见中', 2]]);
    expect(r.explanation).toContain('原应于2026-11-19前答复');
  });

  it('is provisional when the span reaches a year without data', () => {
    const r = run('disclosure_request', { receivedOn: '2026-12-10' });
    expect(r.dueOn).toBe('2027-01-07'); // plain weekdays assumed in 2027
    expect(r.provisional).toBe(true);
    expect(r.missingYears).toEqual([2027]);
    expect(r.explanation).toContain('2027年节假日安排尚无数据');
    expect(run('disclosure_request', { receivedOn: '2026-11-02' }).provisional).toBe(false);
  });

  it('an imported 2027 schedule makes it final and moves it', () => {
    const with2027 = buildWorkCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }], [2027]);
    const r = computeDeadline({
      def: kind('disclosure_request'),
      record: { data: { receivedOn: '2026-12-10' } },
      calendar: with2027,
      today: '2026-12-10',
    });
    expect(r?.dueOn).toBe('2027-01-08');
    expect(r?.provisional).toBe(false);
  });
});

describe('states', () => {
  const data = { receivedOn: '2026-09-28' };
  it('正常 / 临期 (3 working days) / 逾期', () => {
    expect(run('disclosure_request', data, { today: '2026-10-26' }).state).toBe('正常');
    expect(run('disclosure_request', data, { today: '2026-10-27' }).state).toBe('临期');
    expect(run('disclosure_request', data, { today: '2026-10-30' }).state).toBe('临期');
    expect(run('disclosure_request', data, { today: '2026-10-31' }).state).toBe('逾期');
  });

  it('临期 window is configurable', () => {
    expect(run('disclosure_request', data, { today: '2026-10-22', options: { nearDays: 6 } }).state).toBe('临期');
    expect(run('disclosure_request', data, { today: '2026-10-22', options: { nearDays: 5 } }).state).toBe('正常');
  });

  it('按期办结 / 逾期办结', () => {
    const onTime = run('disclosure_request', { ...data, repliedOn: '2026-10-30' }, { today: '2026-12-01' });
    expect(onTime.state).toBe('按期办结');
    expect(onTime.doneOn).toBe('2026-10-30');
    expect(onTime.explanation).toMatch(/；2026-10-30已答复，按期办结$/);
    expect(run('disclosure_request', { ...data, repliedOn: '2026-11-02' }).state).toBe('逾期办结');
  });

  it('a flow-closed record without its date has no state', () => {
    expect(run('disclosure_request', data, { status: '已答复', today: '2026-12-01' }).state).toBeNull();
  });

  it('no deadline without a start date or an applicable rule', () => {
    expect(computeDeadline({ def: kind('disclosure_request'), record: { data: {} }, calendar: cal, today: '2026-01-01' })).toBeNull();
    expect(computeDeadline({ def: kind('litigation'), record: { data: { receivedOn: '2026-01-05' } }, calendar: cal, today: '2026-01-05' })).toBeNull();
    expect(computeDeadline({ def: kind('training'), record: { data: { heldOn: '2026-01-05' } }, calendar: cal, today: '2026-01-05' })).toBeNull();
  });
});

describe('legality_review — 7 working days, configurable', () => {
  it('crosses 中秋 and 国庆 and counts 10-10', () => {
    expect(due('legality_review', { receivedOn: '2026-09-24' })).toBe('2026-10-12');
  });
  it('counts the 9-20 调休 Sunday', () => {
    expect(due('legality_review', { receivedOn: '2026-09-18' })).toBe('2026-09-29');
  });
  it('uses the org period override', () => {
    const options = { periodOverrides: { review: { amount: 10, unit: 'working_days' as const } } };
    expect(due('legality_review', { receivedOn: '2026-09-24' }, { options })).toBe('2026-10-15');
  });
  it('ignores overrides of statutory rules', () => {
    const options = { periodOverrides: { reply: { amount: 5, unit: 'working_days' as const } } };
    expect(due('disclosure_request', { receivedOn: '2026-09-28' }, { options })).toBe('2026-10-30');
  });
});

describe('normative_document — 30 days to file', () => {
  it('moves off a holiday', () => {
    const r = run('normative_document', { issuedOn: '2026-09-05' });
    expect(r.dueOn).toBe('2026-10-08');
    expect(r.explanation).toBe('2026-09-05 发布，按30日计算，期满日2026-10-05为国庆节假期，顺延至2026-10-08，应于2026-10-08前报备');
  });
  it('stays on an adjusted working Saturday', () => {
    expect(due('normative_document', { issuedOn: '2026-01-15' })).toBe('2026-02-14');
  });
  it('moves off a plain weekend', () => {
    const r = run('normative_document', { issuedOn: '2026-02-05' });
    expect(r.dueOn).toBe('2026-03-09');
    expect(r.explanation).toContain('期满日2026-03-07为休息日，顺延至2026-03-09');
  });
});

describe('enforcement_case — disclosure 7 / 20 working days', () => {
  it('7 working days for 行政许可 over 春节', () => {
    const r = run('enforcement_case', { decidedOn: '2026-02-10', actionType: '行政许可' });
    expect(r.dueOn).toBe('2026-02-26');
    expect(r.variant).toBe('行政处罚、行政许可决定');
    expect(r.period).toEqual({ amount: 7, unit: 'working_days' });
    expect(r.explanation).toBe(
      '2026-02-10 决定，按7个工作日计算（行政处罚、行政许可决定；2月15日至23日春节假期不计，2月14日调休上班计入），应于2026-02-26前公示',
    );
  });
  it('7 for 行政处罚, 20 for the others', () => {
    expect(due('enforcement_case', { decidedOn: '2026-02-10', actionType: '行政处罚' })).toBe('2026-02-26');
    expect(due('enforcement_case', { decidedOn: '2026-02-10', actionType: '行政检查' })).toBe('2026-03-16');
    expect(due('enforcement_case', { decidedOn: '2026-02-10' })).toBe('2026-03-16');
  });
});

describe('deputy_suggestion — 3 months, +3 with approval', () => {
  it('31 Jan + 3 months = 30 Apr', () => {
    expect(due('deputy_suggestion', { receivedOn: '2026-01-31' })).toBe('2026-04-30');
  });
  it('30 Nov + 3 months = 28 Feb, an adjusted working Saturday', () => {
    expect(due('deputy_suggestion', { receivedOn: '2025-11-30' })).toBe('2026-02-28');
  });
  it('leap year: 30 Nov 2023 + 3 months = 29 Feb 2024', () => {
    expect(due('deputy_suggestion', { receivedOn: '2023-11-30' })).toBe('2024-02-29');
  });
  it('moves off 国庆', () => {
    expect(due('deputy_suggestion', { receivedOn: '2026-07-05' })).toBe('2026-10-08');
  });
  it('extension counts 6 months from the start (31 Jul, not 30 Jul)', () => {
    const events: ClockEvents = { stops: [], extensions: [{ rule: 'reply', on: '2026-04-01', by: '法治办张三', reason: '涉及多部门协调' }] };
    const r = run('deputy_suggestion', { receivedOn: '2026-01-31' }, { events });
    expect(r.dueOn).toBe('2026-07-31');
    expect(r.explanation).toBe(
      '2026-01-31 交办，按3个月计算，经法治办张三于2026-04-01批准延期3个月（理由：涉及多部门协调），原应于2026-04-30前答复，应于2026-07-31前答复',
    );
  });
});

describe('procuratorial_recommendation — 2 months; urgent 15 days', () => {
  it('31 Dec 2023 + 2 months = 29 Feb 2024', () => {
    expect(due('procuratorial_recommendation', { receivedOn: '2023-12-31' })).toBe('2024-02-29');
  });
  it('31 Dec 2025 + 2 months = 28 Feb 2026 (worked Saturday)', () => {
    expect(due('procuratorial_recommendation', { receivedOn: '2025-12-31' })).toBe('2026-02-28');
  });
  it('urgent: 15 days, off 国庆', () => {
    const r = run('procuratorial_recommendation', { receivedOn: '2026-09-16', urgent: true });
    expect(r.dueOn).toBe('2026-10-08');
    expect(r.variant).toBe('紧急');
    expect(r.explanation).toBe('2026-09-16 收到，按15日计算（紧急），期满日2026-10-01为国庆节假期，顺延至2026-10-08，应于2026-10-08前回复');
  });
  it('not urgent when the flag is false', () => {
    expect(due('procuratorial_recommendation', { receivedOn: '2026-09-16', urgent: false })).toBe('2026-11-16');
  });
});

describe('litigation — 15 days (行政诉讼法 art. 67) / 10 working days (行政复议法 arts. 48, 88)', () => {
  it('litigation: 15 calendar days, moved off 国庆', () => {
    expect(due('litigation', { receivedOn: '2026-09-20', caseType: '行政诉讼一审' })).toBe('2026-10-08');
    expect(due('litigation', { receivedOn: '2026-03-01', caseType: '行政诉讼二审' })).toBe('2026-03-16');
  });
  it('reconsideration: 10 working days', () => {
    const r = run('litigation', { receivedOn: '2026-09-30', caseType: '行政复议' });
    expect(r.rule.key).toBe('defence_reconsideration');
    expect(r.dueOn).toBe('2026-10-20');
  });
  it('done when the defence was filed', () => {
    expect(run('litigation', { receivedOn: '2026-09-30', caseType: '行政复议', defendedOn: '2026-10-21' }).state).toBe('逾期办结');
  });
});

describe('dispute — 30 days, configurable', () => {
  it('moves off 劳动节', () => {
    expect(due('dispute', { registeredOn: '2026-04-05' })).toBe('2026-05-06');
  });
  it('org override', () => {
    expect(due('dispute', { registeredOn: '2026-04-05' }, { options: { periodOverrides: { mediate: { amount: 15, unit: 'calendar_days' } } } })).toBe(
      '2026-04-20',
    );
  });
});

describe('petition — accept in 15 days, then handle in 60 (+30)', () => {
  it('accept runs first', () => {
    const r = run('petition', { registeredOn: '2026-09-20' });
    expect(r.rule.key).toBe('accept');
    expect(r.dueOn).toBe('2026-10-08');
    expect(r.explanation).toBe('2026-09-20 登记，按15日计算，期满日2026-10-05为国庆节假期，顺延至2026-10-08，应于2026-10-08前受理');
  });
  it('then handle from acceptedOn', () => {
    const r = run('petition', { registeredOn: '2026-05-20', acceptedOn: '2026-06-01' }, { today: '2026-07-01' });
    expect(r.rule.key).toBe('handle');
    expect(r.dueOn).toBe('2026-07-31');
    expect(r.state).toBe('正常');
  });
  it('extension of 30 days lands on a Sunday and moves to Monday', () => {
    const events: ClockEvents = { stops: [], extensions: [{ rule: 'handle', on: '2026-07-20', by: '法治办', reason: '情况复杂' }] };
    expect(due('petition', { registeredOn: '2026-05-20', acceptedOn: '2026-06-01' }, { events })).toBe('2026-08-31');
  });
  it('outcome of the last rule when all are done', () => {
    const r = run('petition', { registeredOn: '2026-05-20', acceptedOn: '2026-06-01', closedOn: '2026-08-03' });
    expect(r.rule.key).toBe('handle');
    expect(r.state).toBe('逾期办结');
    expect(run('petition', { registeredOn: '2026-05-20', acceptedOn: '2026-06-01', closedOn: '2026-07-31' }).state).toBe('按期办结');
  });
});

describe('task — the due date set by the user', () => {
  it('is its own due date, not moved', () => {
    const r = run('task', { dueOn: '2026-06-28' }, { today: '2026-06-26' });
    expect(r.dueOn).toBe('2026-06-28');
    expect(r.state).toBe('临期');
    expect(r.explanation).toBe('完成时限为2026-06-28，应于2026-06-28前完成');
  });
  it('states', () => {
    expect(run('task', { dueOn: '2026-06-30' }, { today: '2026-06-01' }).state).toBe('正常');
    expect(run('task', { dueOn: '2026-06-30' }, { today: '2026-07-01' }).state).toBe('逾期');
    expect(run('task', { dueOn: '2026-06-30', completedOn: '2026-06-30' }).state).toBe('按期办结');
  });
});

describe('calendar-day stops', () => {
  const def: LedgerDef = {
    ...kind('normative_document'),
    deadlines: [{ ...kind('normative_document').deadlines![0]!, stopStates: ['暂停'] }],
  };
  it('adds the stopped days, then moves off a holiday', () => {
    const events: ClockEvents = { stops: [{ state: '暂停', from: '2026-03-10', to: '2026-03-15', reason: '等待上级意见', by: '张三' }], extensions: [] };
    const r = run(def, { issuedOn: '2026-03-01' }, { events });
    // 3-31 + 5 days = 4-05 (清明) -> 4-07.
    expect(r.dueOn).toBe('2026-04-07');
    expect(r.stops[0]?.days).toBe(5);
    expect(r.explanation).toContain('2026-03-10至2026-03-15暂停（等待上级意见），停止计时5日');
    expect(r.explanation).toContain('期满日2026-04-05为清明假期，顺延至2026-04-07');
  });
});

describe('every built-in rule computes', () => {
  it('no built-in rule throws on a plain record', () => {
    for (const def of BUILTIN_LEDGERS) {
      for (const rule of def.deadlines ?? []) {
        const data: RecordData = { [rule.startField]: '2026-06-10' };
        for (const c of rule.when ?? []) {
          if ('eq' in c) data[c.field] = c.eq;
          if ('in' in c) data[c.field] = c.in[0];
        }
        const r = computeDeadline({ def, record: { data }, calendar: cal, today: '2026-06-10' });
        expect(r, `${def.kind}.${rule.key}`).not.toBeNull();
        expect(r!.dueOn >= '2026-06-10').toBe(true);
        expect(r!.explanation.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('edge cases', () => {
  it('a user-set due date on 31 Dec is not provisional for lack of next year', () => {
    expect(run('task', { dueOn: '2026-12-31' }).provisional).toBe(false);
    expect(run('task', { dueOn: '2035-12-31' }).provisional).toBe(true);
  });
  it('dates outside the calendar give no deadline instead of throwing', () => {
    expect(computeDeadline({ def: kind('disclosure_request'), record: { data: { receivedOn: '0202-01-01' } }, calendar: cal, today: '2026-01-01' })).toBeNull();
  });
  it("a 'true' text (as some imports give) counts as true, other text does not", () => {
    expect(run('procuratorial_recommendation', { receivedOn: '2026-09-16', urgent: 'true' }).variant).toBe('紧急');
    expect(run('procuratorial_recommendation', { receivedOn: '2026-09-16', urgent: '否' }).variant).toBeUndefined();
  });
});
