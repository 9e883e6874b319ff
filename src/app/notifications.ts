import type { AppContext } from './context';
import type { Actor } from '../core/access/policy';

/** 全部已读: marks every unread notification of the actor read (only their own). */
export async function markAllNotificationsRead(ctx: AppContext, who: Actor): Promise<{ marked: number }> {
  const res = await ctx.storage.db
    .updateTable('notifications')
    .set({ read_at: ctx.now().toISOString() })
    .where('user_id', '=', who.userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return { marked: Number(res.numUpdatedRows) };
}
