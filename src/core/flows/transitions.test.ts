import { describe, expect, it } from 'vitest';
import { BUILTIN_LEDGERS } from '../ledgers/kinds';
import type { LedgerDef } from '../ledgers/types';
import { availableTransitions, planTransition, type TransitionOptions } from './transitions';

const kind = (k: string): LedgerDef => BUILTIN_LEDGERS.find((d) => d.kind === k)!;
const opts = (o: Partial<TransitionOptions> = {}): TransitionOptions => ({ role: 'clerk', today: '2026-10-12', by: '王芳', ...o });

describe('built-in flows are well-formed', () => {
  for (const def of BUILTIN_LEDGERS.filter((d) => d.flow)) {
    it(def.kind, () => {
      const flow = def.flow!;
      const states = new Set(flow.states.map((s) => s.key));
      const fields = new Set(def.fields.map((f) => f.key));
      expect(states.has(flow.initial)).toBe(true);
      for (const t of flow.transitions) {
        expect(states.has(t.to)).toBe(true);
        for (const s of t.from) expect(states.has(s)).toBe(true);
        for (const f of [...(t.requires ?? []), ...(t.setsDate ?? []), ...(t.setsFlag ?? [])]) expect(fields.has(f), `${t.key}.${f}`).toBe(true);
      }
      for (const r of def.deadlines ?? []) for (const s of r.stopStates ?? []) expect(states.has(s)).toBe(true);
      // Every non-final state can be left, and a final state is reachable.
      for (const s of flow.states.filter((x) => !x.final)) expect(flow.transitions.some((t) => t.from.includes(s.key)), s.key).toBe(true);
      expect(flow.states.some((s) => s.final)).toBe(true);
    });
  }
});

describe('disclosure_request flow: 收到 → (补正中) → (延期) → 已答复', () => {
  const def = kind('disclosure_request');
  const flow = def.flow!;
  const rec = { status: '收到', data: { receivedOn: '2026-09-28', applicantType: '自然人' } };

  it('lists what each role may do', () => {
    expect(availableTransitions(flow, rec, 'clerk').map((t) => t.key)).toEqual(['correction', 'consult', 'reply']);
    expect(availableTransitions(flow, rec, 'office').map((t) => t.key)).toEqual(['correction', 'consult', 'extend', 'reply']);
    expect(availableTransitions(flow, { data: {} }, 'admin').map((t) => t.key)).toEqual(['correction', 'consult', 'extend', 'reply']);
    expect(availableTransitions(flow, { status: '已答复', data: {} }, 'admin')).toEqual([]);
  });

  it('entering 补正中 opens a stop, leaving it closes it', () => {
    const open = planTransition(flow, rec, 'correction', opts({ reason: '申请内容不明确' }));
    expect(open).toEqual({
      ok: true,
      transition: flow.transitions.find((t) => t.key === 'correction'),
      fromState: '收到',
      toState: '补正中',
      dataPatch: {},
      clockEvents: [{ type: 'stop_open', state: '补正中', on: '2026-10-12', reason: '申请内容不明确', by: '王芳' }],
    });
    const close = planTransition(flow, { ...rec, status: '补正中' }, 'corrected', opts({ today: '2026-10-20' }));
    expect(close.ok && close.clockEvents).toEqual([{ type: 'stop_close', state: '补正中', on: '2026-10-20', by: '王芳' }]);
    expect(close.ok && close.toState).toBe('收到');
  });

  it('a stop needs a reason', () => {
    expect(planTransition(flow, rec, 'correction', opts({ reason: ' ' }))).toEqual({
      ok: false,
      code: 'missing_reason',
      error: '执行「通知补正」须填写理由',
    });
  });

  it('extension only by 法治办, with a reason, recorded as an approval', () => {
    expect(planTransition(flow, rec, 'extend', opts({ reason: '需调档' }))).toEqual({
      ok: false,
      code: 'forbidden',
      error: '部门填报员不能执行「延期答复」，须由法治办操作',
    });
    const plan = planTransition(flow, rec, 'extend', opts({ role: 'office', by: '李主任', reason: '需调档', rules: def.deadlines }));
    expect(plan.ok && plan.dataPatch).toEqual({ extended: true });
    expect(plan.ok && plan.clockEvents).toEqual([{ type: 'extension', rule: 'reply', on: '2026-10-12', by: '李主任', reason: '需调档' }]);
    expect(plan.ok && plan.toState).toBe('延期');
  });

  it('reply requires 答复类型 (申请人类型 already given) and sets 答复日期', () => {
    expect(planTransition(flow, rec, 'reply', opts({ fields: def.fields }))).toEqual({
      ok: false,
      code: 'missing_field',
      error: '执行「答复」须填写「答复类型」',
    });
    const plan = planTransition(flow, rec, 'reply', opts({ fields: def.fields, data: { replyType: '予以公开' } }));
    expect(plan.ok && plan.dataPatch).toEqual({ replyType: '予以公开', repliedOn: '2026-10-12' });
    const given = planTransition(flow, rec, 'reply', opts({ fields: def.fields, data: { replyType: '予以公开', repliedOn: '2026-10-09' } }));
    expect(given.ok && given.dataPatch.repliedOn).toBe('2026-10-09');
    const backdated = planTransition(flow, { ...rec, data: { ...rec.data, replyType: '不予公开', replyReason: '属于国家秘密' } }, 'reply', opts({ fields: def.fields, on: '2026-10-10' }));
    expect(backdated.ok && backdated.dataPatch).toEqual({ repliedOn: '2026-10-10' });
  });

  it('refuses a transition not allowed from the current state', () => {
    expect(planTransition(flow, { ...rec, status: '补正中' }, 'reply', opts({ data: { replyType: '予以公开' } }))).toEqual({
      ok: false,
      code: 'bad_state',
      error: '当前状态为「补正中」，不能执行「答复」（仅限「收到」、「延期」状态）',
    });
    expect(planTransition(flow, rec, 'fly', opts())).toMatchObject({ ok: false, code: 'unknown_transition', error: '没有名为「fly」的办理操作' });
  });

  it('refuses a future or malformed date', () => {
    expect(planTransition(flow, rec, 'correction', opts({ reason: 'x', on: '2026-10-13' }))).toMatchObject({
      ok: false,
      error: '办理日期（2026-10-13）不得晚于今天',
    });
    expect(planTransition(flow, rec, 'correction', opts({ reason: 'x', on: '13/10/2026' }))).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('moving from one stop state to another closes one and opens the other', () => {
    const custom = {
      ...flow,
      transitions: [...flow.transitions, { key: 'switch', label: '转征求意见', from: ['补正中'], to: '征求第三方意见中', needsReason: true }],
    };
    const plan = planTransition(custom, { ...rec, status: '补正中' }, 'switch', opts({ reason: '涉及第三方' }));
    expect(plan.ok && plan.clockEvents.map((e) => e.type)).toEqual(['stop_close', 'stop_open']);
  });
});

describe('petition flow: 登记 → 受理 → 办理中 → 办结', () => {
  const def = kind('petition');
  const flow = def.flow!;
  it('walks the whole flow', () => {
    let rec = { status: null as string | null, data: { registeredOn: '2026-09-20' } as Record<string, unknown> };
    const step = (key: string, o: Partial<TransitionOptions> = {}) => {
      const p = planTransition(flow, rec, key, opts({ rules: def.deadlines, ...o }));
      if (!p.ok) throw new Error(p.error);
      rec = { status: p.toState, data: { ...rec.data, ...p.dataPatch } };
      return p;
    };
    expect(step('accept', { today: '2026-09-25' }).dataPatch).toEqual({ acceptedOn: '2026-09-25' });
    step('handle');
    const ext = step('extend', { role: 'office', by: '法治办张三', reason: '涉及多个部门' });
    expect(ext.clockEvents).toEqual([{ type: 'extension', rule: 'handle', on: '2026-10-12', by: '法治办张三', reason: '涉及多个部门' }]);
    expect(rec.status).toBe('办理中');
    expect(step('close', { today: '2026-11-02' }).dataPatch).toEqual({ closedOn: '2026-11-02' });
    expect(rec).toEqual({
      status: '办结',
      data: { registeredOn: '2026-09-20', acceptedOn: '2026-09-25', extended: true, closedOn: '2026-11-02' },
    });
  });
  it('cannot close before acceptance', () => {
    expect(planTransition(flow, { status: '登记', data: {} }, 'close', opts())).toMatchObject({ ok: false, code: 'bad_state' });
  });
});

describe('legality_review flow: 送审 → 审核中 → 出具意见 → 办结', () => {
  const def = kind('legality_review');
  const flow = def.flow!;
  it('a 法律顾问 may review and give an opinion but not close', () => {
    expect(planTransition(flow, { status: '送审', data: {} }, 'start', opts())).toEqual({
      ok: false,
      code: 'forbidden',
      error: '部门填报员不能执行「开始审核」，须由法治办或法律顾问操作',
    });
    expect(planTransition(flow, { status: '送审', data: {} }, 'start', opts({ role: 'adviser' }))).toMatchObject({ ok: true, toState: '审核中' });
    expect(planTransition(flow, { status: '审核中', data: {} }, 'opinion', opts({ role: 'adviser', fields: def.fields }))).toEqual({
      ok: false,
      code: 'missing_field',
      error: '执行「出具意见」须填写「审核结论」、「审核意见」',
    });
    const plan = planTransition(flow, { status: '审核中', data: { conclusion: '修改后同意' } }, 'opinion', opts({ role: 'adviser', data: { opinion: '第三条应删除' } }));
    expect(plan).toMatchObject({ ok: true, toState: '出具意见', dataPatch: { opinion: '第三条应删除' } });
    expect(planTransition(flow, { status: '出具意见', data: {} }, 'close', opts({ role: 'adviser' }))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(planTransition(flow, { status: '出具意见', data: {} }, 'close', opts({ role: 'office' }))).toMatchObject({
      ok: true,
      toState: '办结',
      dataPatch: { completedOn: '2026-10-12' },
    });
  });
});

describe('deputy_suggestion flow: 交办 → 办理中 → 已答复 → 已反馈', () => {
  const def = kind('deputy_suggestion');
  const flow = def.flow!;
  it('walks the flow', () => {
    expect(planTransition(flow, { data: {} }, 'handle', opts())).toMatchObject({ ok: true, fromState: '交办', toState: '办理中' });
    expect(planTransition(flow, { status: '办理中', data: {} }, 'extend', opts({ role: 'office', reason: '需列入年度计划', rules: def.deadlines }))).toMatchObject({
      ok: true,
      clockEvents: [{ type: 'extension', rule: 'reply' }],
    });
    expect(planTransition(flow, { status: '办理中', data: {} }, 'reply', opts({ data: { resultCategory: 'A 已解决或采纳' } }))).toMatchObject({
      ok: true,
      toState: '已答复',
      dataPatch: { repliedOn: '2026-10-12' },
    });
    expect(planTransition(flow, { status: '已答复', data: {} }, 'feedback', opts())).toMatchObject({ ok: false, code: 'missing_field' });
    expect(planTransition(flow, { status: '已答复', data: {} }, 'feedback', opts({ data: { feedback: '满意' } }))).toMatchObject({
      ok: true,
      toState: '已反馈',
    });
  });
});

describe('an extension granted once is not offered again', () => {
  it('petition: 延长办理期限 disappears once extended', () => {
    const flow = kind('petition').flow!;
    const open = { status: '办理中', data: { registeredOn: '2026-09-01', acceptedOn: '2026-09-02' } };
    expect(availableTransitions(flow, open, 'office').map((t) => t.key)).toEqual(['extend', 'close']);
    expect(availableTransitions(flow, { ...open, data: { ...open.data, extended: true } }, 'office').map((t) => t.key)).toEqual(['close']);
  });
});
