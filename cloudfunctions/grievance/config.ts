/** A community's grievance categories and deadline policy (configurable; defaults otherwise). */
import type { Community, DeadlinePolicy, GrievanceCategory } from '../../types/domain';
import { getById } from '../core/db';
import { notFound } from '../core/errors';
import { DEFAULT_CATEGORIES, DEFAULT_POLICY } from '../domain/grievance';

export interface CommunityConfig {
  community: Community & {
    grievanceCategories?: GrievanceCategory[];
    deadlinePolicy?: DeadlinePolicy;
    /** Show staff names (not only roles) to residents. Off by default. */
    showStaffNames?: boolean;
  };
  categories: GrievanceCategory[];
  policy: DeadlinePolicy;
}

export async function communityConfig(communityId: string): Promise<CommunityConfig> {
  const community = await getById<CommunityConfig['community']>('communities', communityId);
  if (!community) throw notFound('社区不存在');
  return {
    community,
    categories: community.grievanceCategories ?? DEFAULT_CATEGORIES,
    policy: community.deadlinePolicy ?? DEFAULT_POLICY,
  };
}

export const categoryName = (cfg: CommunityConfig, key: string) =>
  cfg.categories.find((c) => c.key === key)?.name ?? '其他';
