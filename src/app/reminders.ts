import { optionName } from '../core/ledgers/dictionary';
import { dataColumn } from '../db/json';
import { sql } from 'kysely';
import type { AppContext } from './context';
import type { LedgerDef } from '../core/ledgers/types';
import { DEFAULT_NEAR_DAYS } from '../core/deadlines';
import { todayShanghai } from '../core/time';
import { loadDeadlineEnv } from './deadline-env';
import { parseData } from './record-view';
import { moveStatesWithTime, notStoppedCondition, OPEN_DEADLINE, recomputeStopped, stopPairs } from './recompute';

/** A reminder as created for one user; `id` is the in-app notification row. */
export interface ReminderNotification {
  id: number;
  userId: number;
  username: string;
  displayName: string;
  recordId: number;
  /** The record's ledger kind (the UI links to /ledgers/:kind/:id). */
  kind: string;
  state: '临期' | '逾期';
  dueOn: string;
  title: string;
  body: string;
}

/**
 * A way of delivering reminders besides the in-app list (which is the notification row itself).
 * `send` is called once per newly created notification: the row's unique dedupe key decides which
 * instance created it, so an SMS or e-mail is never sent twice, even with two sweeps at once.
 */
export interface NotificationChannel {
  name: string;
  send(n: ReminderNotification): Promise<void>;
}

const channels: NotificationChannel[] = [];

/** Adds a delivery channel (SMS, e-mail…) used by every later sweep of this process. */
export function registerNotificationChannel(ch: NotificationChannel): void {
  if (!channels.some((c) => c.name === ch.name)) channels.push(ch);
}

export function registeredChannels(): readonly NotificationChannel[] {
  return channels;
}

export interface SweepOptions {
  /** Delivery channels besides in-app (default: those registered). */
  channels?: readonly NotificationChannel[];
}

export interface SweepResult {
  today: string;
  /** Last day counted as 临期 (today + near days in working days). */
  nearLimit: string;
  /** Stopped-clock records read and those whose due date or state changed. */
  stopped: { candidates: number; updated: number };
  /** Records whose state moved to 临期 or 逾期 with the passing of time. */
  becameNear: number;
  becameOverdue: number;
  /** 临期 and 逾期 records considered for reminders. */
  due: number;
  /** Notifications created now (the others existed already). */
  notified: number;
  /** Channel deliveries that failed (logged; the in-app notification stands). */
  failedDeliveries: number;
}

const INSERT_CHUNK = 300;

interface DueRow {
  id: number;
  kind: string;
  org_id: number;
  dept_id: number;
  due_on: string;
  deadline_state: string;
  deadline_rule: string | null;
  data: unknown;
  org_name: string;
  dept_name: string;
}

function titleOf(def: LedgerDef | undefined, data: unknown, id: number): string {
  // Reminders are stored and sent in clear: never title one with a personal (encrypted) field.
  const field = def?.fields.find((f) => f.key === def.titleField && !f.pii);
  const v = field ? parseData(data)[field.key] : undefined;
  // An option code by its name (the 字典's).
  const s = typeof v === 'string' ? optionName(field!, v).trim().replace(/\s+/g, ' ') : '';
  return s ? (s.length > 40 ? `${s.slice(0, 40)}…` : s) : `第${id}号记录`;
}

/** Title and body of a reminder (Chinese, shown in the bell and sent by other channels). */
export function reminderText(def: LedgerDef | undefined, r: DueRow): { title: string; body: string } {
  const label = def?.label ?? r.kind;
  const subject = titleOf(def, r.data, r.id);
  const ruleLabel = def?.deadlines?.find((x) => x.key === r.deadline_rule)?.label ?? '办理期限';
  const where = `${r.org_name}${r.dept_name}`;
  if (r.deadline_state === '逾期') {
    return {
      title: `【逾期】${label}：${subject}`,
      body: `${where}办理的${label}「${subject}」${ruleLabel}为${r.due_on}，现已逾期，请尽快办结并说明原因。`,
    };
  }
  return {
    title: `【临期】${label}：${subject}`,
    body: `${where}办理的${label}「${subject}」${ruleLabel}为${r.due_on}，即将到期，请抓紧办理。`,
  };
}

/**
 * The reminder sweep (idempotent; safe to run on several instances at once):
 * (a) moves open records to 临期 / 逾期 as time passes — only those due within the near window or
 *     past, read through the partial index `records_open_due`, never a full scan — and recomputes
 *     records whose clock is stopped (their due date moves each stopped day);
 * (b) creates one in-app notification per 临期/逾期 record (a 临期 one only while its clock runs),
 *     state and due date for each clerk of the responsible department and each 法治办 user of the
 *     record's org unit, deduplicated by the
 *     unique key user:record:state:dueOn (insert … on conflict do nothing), then hands each newly
 *     created one to the other channels.
 */
export async function sweepDeadlines(ctx: AppContext, opts: SweepOptions = {}): Promise<SweepResult> {
  const db = ctx.storage.db;
  const now = ctx.now();
  const at = now.toISOString();
  const today = todayShanghai(now);
  const defList = await ctx.registry.all();
  const defs = new Map(defList.map((d) => [d.kind, d]));
  const pairs = stopPairs(defList);
  const env = await loadDeadlineEnv(db, today, []);
  const nearDays = env.base.nearDays ?? DEFAULT_NEAR_DAYS;
  const nearLimit = env.base.calendar.addWorkingDays(today, nearDays);

  // (a) State changes with time. For a running (not stopped) clock the state is a function of the
  // stored due date and today alone, so the SQL re-checks it and a concurrent edit is never undone.
  const changed = await db.transaction().execute(async (trx) => {
    const stopped = await recomputeStopped(trx, ctx.storage.dialect, defs, today);
    const moved = await moveStatesWithTime(trx, pairs, today, nearLimit);
    return { stopped, becameOverdue: moved.overdue, becameNear: moved.near };
  });

  // (b) Reminders for everything 临期 or 逾期 now.
  const due = (await db
    .selectFrom('records')
    .innerJoin('org_units', 'org_units.id', 'records.org_id')
    .innerJoin('departments', 'departments.id', 'records.dept_id')
    .select([
      'records.id',
      'records.kind',
      'records.org_id',
      'records.dept_id',
      'records.due_on',
      'records.deadline_state',
      'records.deadline_rule',
      'org_units.name as org_name',
      'departments.name as dept_name',
    ])
    .select(dataColumn(ctx.storage.dialect).as('data'))
    .where(OPEN_DEADLINE)
    .where('records.due_on', '<=', nearLimit)
    .where(sql<boolean>`records.deadline_state in ('临期', '逾期')`)
    // A stopped clock is not running out: its due date moves on every day it stands still, so a
    // 临期 reminder per due date would repeat daily. It is reminded once it runs again.
    .where(sql<boolean>`(records.deadline_state = '逾期' or ${notStoppedCondition(pairs)})`)
    .orderBy('records.id')
    .execute()) as DueRow[];

  const users = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'org_id', 'dept_id'])
    .where('active', '=', 1)
    .where('role', 'in', ['clerk', 'office'])
    .orderBy('id')
    .execute();
  type U = (typeof users)[number];
  const clerksByDept = new Map<number, U[]>();
  const officeByOrg = new Map<number, U[]>();
  for (const u of users) {
    if (u.role === 'clerk' && u.dept_id !== null) clerksByDept.set(u.dept_id, [...(clerksByDept.get(u.dept_id) ?? []), u]);
    if (u.role === 'office') officeByOrg.set(u.org_id, [...(officeByOrg.get(u.org_id) ?? []), u]);
  }

  interface Pending {
    user: U;
    row: DueRow;
    key: string;
    title: string;
    body: string;
  }
  const pending: Pending[] = [];
  for (const r of due) {
    const recipients = [...(clerksByDept.get(r.dept_id) ?? []), ...(officeByOrg.get(r.org_id) ?? [])];
    if (!recipients.length) continue;
    const text = reminderText(defs.get(r.kind), r);
    for (const u of recipients) pending.push({ user: u, row: r, key: `${u.id}:${r.id}:${r.deadline_state}:${r.due_on}`, ...text });
  }

  const created: ReminderNotification[] = [];
  for (let i = 0; i < pending.length; i += INSERT_CHUNK) {
    const chunk = pending.slice(i, i + INSERT_CHUNK);
    const byKey = new Map(chunk.map((p) => [p.key, p]));
    const rows = await db
      .insertInto('notifications')
      .values(
        chunk.map((p) => ({
          user_id: p.user.id,
          record_id: p.row.id,
          kind: p.row.kind,
          title: p.title,
          body: p.body,
          dedupe_key: p.key,
          created_at: at,
          read_at: null,
        })),
      )
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning(['id', 'dedupe_key'])
      .execute();
    for (const row of rows) {
      const p = byKey.get(row.dedupe_key)!;
      created.push({
        id: row.id,
        userId: p.user.id,
        username: p.user.username,
        displayName: p.user.display_name,
        recordId: p.row.id,
        kind: p.row.kind,
        state: p.row.deadline_state as '临期' | '逾期',
        dueOn: p.row.due_on,
        title: p.title,
        body: p.body,
      });
    }
  }

  let failedDeliveries = 0;
  for (const ch of opts.channels ?? channels) {
    for (const n of created) {
      try {
        await ch.send(n);
      } catch (e) {
        failedDeliveries++;
        console.error(`提醒发送失败（${ch.name}，用户${n.username}，记录${n.recordId}）：${(e as Error).message}`);
      }
    }
  }

  return {
    today,
    nearLimit,
    stopped: changed.stopped,
    becameNear: changed.becameNear,
    becameOverdue: changed.becameOverdue,
    due: due.length,
    notified: created.length,
    failedDeliveries,
  };
}
