import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../calendar';
import { computeDeadline } from '../deadlines';
import type { ClockEvents } from '../deadlines/types';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { LedgerDef, RecordData, Role } from '../ledgers/types';
import { planLedgerTransition } from './ledger-transition';

const cal = buildWorkCalendar();
const kind = (k: string): LedgerDef => BUILTIN_LEDGERS.find((d) => d.kind === k)!;
const def = kind('disclosure_request');

interface State {
  status: string | null;
  data: RecordData;
  events: ClockEvents;
}

function perform(s: State, key: string, o: { role?: Role; today: string; reason?: string; data?: RecordData; by?: string }): State {
  const plan = planLedgerTransition(def, s, key, { role: o.role ?? 'clerk', today: o.today, reason: o.reason, data: o.data, by: o.by ?? '王芳', events: s.events, calendar: cal });
  if (!plan.ok) throw new Error(plan.error);
  return { status: plan.toState, data: { ...s.data, ...plan.dataPatch }, events: plan.events };
}

describe('planLedgerTransition on disclosure_request', () => {
  const start: State = { status: '收到', data: { receivedOn: '2026-09-28', applicantType: '自然人' }, events: { stops: [], extensions: [] } };

  it('a full run: 补正, 延期, 答复 — and the deadline follows', () => {
    let s = perform(start, 'correction', { today: '2026-10-12', reason: '申请内容不明确' });
    expect(s.events.stops).toEqual([{ state: '补正中', from: '2026-10-12', reason: '申请内容不明确', by: '王芳' }]);
    s = perform(s, 'corrected', { today: '2026-10-20' });
    expect(s.events.stops[0]!.to).toBe('2026-10-20');
    s = perform(s, 'extend', { role: 'office', by: '李主任', today: '2026-11-02', reason: '需调取历史档案' });
    expect(s.events.extensions).toEqual([{ rule: 'reply', on: '2026-11-02', by: '李主任', reason: '需调取历史档案' }]);
    const d = computeDeadline({ def, record: s, events: s.events, calendar: cal, today: '2026-11-03' })!;
    expect(d.dueOn).toBe('2026-12-07');
    expect(d.explanation).toBe(
      '2026-09-28 收到申请，按20个工作日计算（10月1日至7日国庆节假期不计，10月10日调休上班计入），' +
        '2026-10-12至2026-10-20补正中（申请内容不明确），停止计时6个工作日，' +
        '经李主任于2026-11-02批准延期20个工作日（理由：需调取历史档案），原应于2026-11-09前答复，应于2026-12-07前答复',
    );
    s = perform(s, 'reply', { today: '2026-12-04', data: { replyType: '部分公开' } });
    expect(s.status).toBe('已答复');
    const done = computeDeadline({ def, record: s, events: s.events, calendar: cal, today: '2026-12-10' })!;
    expect(done.state).toBe('按期办结');
  });

  it('refuses a second extension', () => {
    const s = perform(start, 'extend', { role: 'office', today: '2026-10-12', reason: '需调档' });
    const again = planLedgerTransition(def, { ...s, status: '收到' }, 'extend', { role: 'office', today: '2026-10-13', reason: '再延', events: s.events, calendar: cal });
    expect(again).toEqual({ ok: false, code: 'invalid', error: '「答复期限」已延期一次，依法不得再次延期' });
  });

  it('refuses an extension after the deadline expired', () => {
    const late = planLedgerTransition(def, start, 'extend', { role: 'office', today: '2026-11-02', reason: '需调档', events: start.events, calendar: cal });
    expect(late).toEqual({ ok: false, code: 'invalid', error: '原期限已于2026-10-30届满，届满后不能再批准延期' });
  });

  it('refuses a stop dated before the request was received', () => {
    const r = planLedgerTransition(def, start, 'correction', { role: 'clerk', today: '2026-10-12', on: '2026-09-27', reason: '补正', events: start.events, calendar: cal });
    expect(r).toEqual({ ok: false, code: 'invalid', error: '停止计时开始日期（2026-09-27）不得早于收到申请日期（2026-09-28）' });
  });

  it('refuses a reply dated before the request was received', () => {
    const r = planLedgerTransition(def, start, 'reply', {
      role: 'clerk',
      today: '2026-10-12',
      data: { replyType: '予以公开', repliedOn: '2026-09-01' },
      events: start.events,
      calendar: cal,
    });
    expect(r).toEqual({ ok: false, code: 'invalid', error: '「答复日期」（2026-09-01）不得早于「收到申请日期」（2026-09-28）' });
  });

  it('refuses a reply dated in the future', () => {
    const r = planLedgerTransition(def, start, 'reply', {
      role: 'clerk',
      today: '2026-10-12',
      data: { replyType: '予以公开', repliedOn: '2026-10-13' },
      events: start.events,
      calendar: cal,
    });
    expect(r).toEqual({ ok: false, code: 'invalid', error: '「答复日期」（2026-10-13）不得晚于今天（2026-10-12）' });
    expect(perform(start, 'reply', { today: '2026-10-12', data: { replyType: '予以公开', repliedOn: '2026-10-12' } }).status).toBe('已答复');
  });

  it('records a shorter extension than the maximum and refuses a longer one', () => {
    const plan = (extensionPeriod: { amount: number; unit: 'working_days' | 'calendar_days' | 'months' }, key = 'extend') =>
      planLedgerTransition(def, start, key, { role: 'office', by: '李主任', today: '2026-10-12', reason: '需调档', extensionPeriod, events: start.events, calendar: cal });
    const short = plan({ amount: 10, unit: 'working_days' });
    if (!short.ok) throw new Error(short.error);
    expect(short.events.extensions).toEqual([{ rule: 'reply', on: '2026-10-12', by: '李主任', reason: '需调档', period: { amount: 10, unit: 'working_days' } }]);
    const d = computeDeadline({ def, record: { status: short.toState, data: { ...start.data, ...short.dataPatch } }, events: short.events, calendar: cal, today: '2026-10-12' })!;
    // 10 working days after 10-30.
    expect(d.dueOn).toBe('2026-11-13');
    expect(plan({ amount: 21, unit: 'working_days' })).toEqual({ ok: false, code: 'invalid', error: '延期不得超过20个工作日（法定最长期限）' });
    expect(plan({ amount: 2, unit: 'months' })).toEqual({ ok: false, code: 'invalid', error: '延期不得超过20个工作日（法定最长期限）' });
    expect(plan({ amount: 0, unit: 'working_days' })).toEqual({ ok: false, code: 'invalid', error: '延期期限应为正整数' });
    expect(plan({ amount: 5, unit: 'working_days' }, 'correction')).toMatchObject({ ok: false, error: '「通知补正」不是延期操作，不能指定延期期限' });
  });

  it('refuses kinds without a flow', () => {
    expect(planLedgerTransition(kind('training'), { data: {} }, 'x', { role: 'admin', today: '2026-10-12', events: start.events, calendar: cal })).toMatchObject({
      ok: false,
      error: '「培训与学法」没有办理流程',
    });
  });
});
