import type { MeView } from '../../../../types/api';
import { currentCommunity } from '../../store/session';

/** The community a worker manages: their grant in the community they browse, else their first. */
export function workerCommunityId(me: MeView | null): string | undefined {
  if (!me) return undefined;
  const roles = me.user.roles;
  const grant =
    roles.find(
      (r) =>
        r.role === 'worker' && (!me.user.currentCommunityId || r.communityId === me.user.currentCommunityId),
    ) ?? roles.find((r) => r.role === 'worker');
  return grant?.communityId ?? currentCommunity(me)?._id;
}
