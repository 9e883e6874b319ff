import { computed } from 'vue';
import { useOrgStore } from '../stores/orgs';
import { useSessionStore } from '../stores/session';
import type { Org } from '../api/types';

/** The org units a user may enter records for and their departments. */
export function useScope() {
  const session = useSessionStore();
  const orgStore = useOrgStore();

  /** Units with departments (records belong to a department), the user's own first. */
  const recordOrgs = computed<Org[]>(() => {
    const own = session.user?.orgId;
    const list = orgStore.orgs.filter((o) => o.depts.length > 0);
    return [...list.filter((o) => o.id === own), ...list.filter((o) => o.id !== own)];
  });

  function defaultOrgId(): number | undefined {
    return recordOrgs.value[0]?.id ?? session.user?.orgId;
  }

  function depts(orgId: number | null | undefined): { id: number; name: string }[] {
    const org = orgStore.get(orgId ?? session.user?.orgId);
    const all = org?.depts ?? [];
    const mine = session.user?.role === 'clerk' ? session.user.deptId : null;
    return mine ? all.filter((d) => d.id === mine) : all;
  }

  function deptNames(orgId: number | null | undefined): string[] {
    return (orgStore.get(orgId ?? session.user?.orgId)?.depts ?? []).map((d) => d.name);
  }

  return { recordOrgs, defaultOrgId, depts, deptNames };
}
