/**
 * The high-volume parts of the disclosure report counted by the database: the requests of table 三
 * grouped by everything the table reads (core/disclosure/groups.ts `RequestKey`), and the enforcement
 * decisions of table 二 by action type — one GROUP BY each over the windows of disclosure-records.ts,
 * for one town or a whole district at once. Where each group goes is decided in the core, which also
 * says which groups cannot be placed; only those groups' records are then read, to name them in the
 * warnings. src/app/disclosure-report.test.ts checks this path against the per-record one.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Storage } from './connect';
import { jsonText } from './json';
import { enforcementWindow, loadCommonInputs, orgScope, requestWindow, titleOf, type OrgRef, type OrgScope } from './disclosure-records';
import { yearBounds, type EnforcementGroup, type GroupedDisclosureInput, type RequestGroup, type RequestKey } from '../core/disclosure';

/** A request group of one org unit's records (the unit below the given one it was counted for). */
export interface OrgRequestGroup extends RequestGroup {
  orgId: number;
}

export interface GroupedInputs {
  scope: OrgScope;
  /** Per given org unit; its `requestGroups` are `OrgRequestGroup`s. */
  inputs: Map<number, GroupedDisclosureInput & { requestGroups: OrgRequestGroup[] }>;
}

/** The key's expressions, in the order of `RequestKey` (the reply fields only for a handled request). */
function keyColumns(storage: Storage, year: number) {
  const { start, end } = yearBounds(year);
  const { dialect } = storage;
  const handled = sql<SqlBool>`(records.closed_on is not null and records.closed_on <= ${end})`;
  return {
    handled,
    receivedInYear: sql<number>`case when records.occurred_on >= ${start} then 1 else 0 end`,
    handledFlag: sql<number>`case when ${handled} then 1 else 0 end`,
    applicantType: jsonText(dialect, 'applicantType'),
    replyType: sql<string | null>`case when ${handled} then ${jsonText(dialect, 'replyType')} end`,
    replyReason: sql<string | null>`case when ${handled} then ${jsonText(dialect, 'replyReason')} end`,
  };
}

/** The org unit and the key, as the group query and the unplaced records' query both select them. */
function keySelection(k: ReturnType<typeof keyColumns>) {
  return [
    'records.org_id',
    k.receivedInYear.as('received_in_year'),
    k.handledFlag.as('handled'),
    k.applicantType.as('applicant_type'),
    k.replyType.as('reply_type'),
    k.replyReason.as('reply_reason'),
  ] as const;
}

export async function loadGroupedInputs(storage: Storage, orgs: readonly OrgRef[], year: number): Promise<GroupedInputs> {
  const scope = await orgScope(storage, orgs);
  const common = await loadCommonInputs(storage, scope, orgs, year);
  const inputs: GroupedInputs['inputs'] = new Map();
  for (const [id, c] of common) inputs.set(id, { ...c, requestGroups: [], enforcementGroups: [] });
  if (scope.ids.length === 0) return { scope, inputs };
  const k = keyColumns(storage, year);
  // Grouped by position: PostgreSQL would not see two copies of an expression with bound
  // parameters (the year's dates) as the same, and positions name the select list's own.
  const byPosition = (n: number) => Array.from({ length: n }, (_, i) => sql.raw(String(i + 1)));
  const [requests, decisions] = await Promise.all([
    requestWindow(storage, scope, year)
      .select([...keySelection(k), sql<number | string>`count(*)`.as('n')])
      .groupBy(byPosition(6))
      .execute(),
    enforcementWindow(storage, scope, year)
      .select(['records.org_id', jsonText(storage.dialect, 'actionType').as('action_type'), sql<number | string>`count(*)`.as('n')])
      .groupBy(byPosition(2))
      .execute(),
  ]);
  const inputOf = (orgId: number) => inputs.get(scope.owner.get(Number(orgId))!)!;
  for (const r of requests) {
    inputOf(r.org_id).requestGroups.push({
      orgId: Number(r.org_id),
      receivedInYear: Number(r.received_in_year) === 1,
      handled: Number(r.handled) === 1,
      applicantType: r.applicant_type,
      replyType: r.reply_type,
      replyReason: r.reply_reason,
      // pg returns counts as strings.
      count: Number(r.n),
    });
  }
  for (const r of decisions) (inputOf(r.org_id).enforcementGroups as EnforcementGroup[]).push({ actionType: r.action_type, count: Number(r.n) });
  return { scope, inputs };
}

/** The records of the given request groups (those the table cannot place), with their 申请内容 for the warnings. */
export async function requestsOfGroups(storage: Storage, scope: OrgScope, year: number, groups: readonly OrgRequestGroup[]): Promise<{ group: OrgRequestGroup; id: number; title: string }[]> {
  const k = keyColumns(storage, year);
  const { start } = yearBounds(year);
  const out: { group: OrgRequestGroup; id: number; title: string }[] = [];
  // A value read back from the group is bound back as it came (text, or a number for a JSON number on
  // SQLite), so the comparison matches what was grouped; a null matches with IS NULL.
  const same = (e: Expression<unknown>, v: unknown) => (v === null || v === undefined ? sql<SqlBool>`${e} is null` : sql<SqlBool>`${e} = ${v}`);
  const matches = (g: RequestKey & { orgId: number }) =>
    sql<SqlBool>`(${sql.join(
      [
        sql`records.org_id = ${g.orgId}`,
        g.receivedInYear ? sql`records.occurred_on >= ${start}` : sql`records.occurred_on < ${start}`,
        g.handled ? k.handled : sql`not ${k.handled}`,
        same(k.applicantType, g.applicantType),
        ...(g.handled ? [same(k.replyType, g.replyType), same(k.replyReason, g.replyReason)] : []),
      ],
      sql` and `,
    )})`;
  for (let i = 0; i < groups.length; i += 50) {
    const chunk = groups.slice(i, i + 50);
    const rows = await requestWindow(storage, scope, year)
      .where((eb) => eb.or(chunk.map(matches)))
      .select(['records.id', ...keySelection(k), jsonText(storage.dialect, 'content').as('content')])
      .orderBy('records.id')
      .execute();
    for (const r of rows) {
      // The record's own key picks its group (the OR above matched one of the chunk's).
      const group = chunk.find(
        (g) =>
          g.orgId === Number(r.org_id) &&
          g.receivedInYear === (Number(r.received_in_year) === 1) &&
          g.handled === (Number(r.handled) === 1) &&
          g.applicantType === r.applicant_type &&
          g.replyType === r.reply_type &&
          g.replyReason === r.reply_reason,
      );
      if (group) out.push({ group, id: Number(r.id), title: titleOf(r.content, `申请 #${r.id}`) });
    }
  }
  return out;
}
