/**
 * Demo 阵地 booking (issue 15), written through the real `sites` actions: 幸福里党群服务中心 open for
 * booking every day 08:30–20:00 with approval (set up by demo-worker), 区人民医院's 医院学术报告厅
 * (the unit's venue resource) opened by demo-unit on weekends 09:00–17:00 without approval (the
 * unit's record counts the opened venue). No bookings: the demo books them. Called by
 * `seedIfEmpty` after the alliance seed (the venue is its resource `res-hall`): tests start
 * without bookable sites.
 */
import type { ActionName, RequestOf, ResponseOf } from '../../types/api';
import type { WeeklyHours } from '../../types/sites';
import type { LocalRuntime } from './local-runtime';

const XFL = 'community-xingfuli';
const EVERY_DAY: WeeklyHours = Array.from({ length: 7 }, () => [{ open: '08:30', close: '20:00' }]);
const WEEKEND = [{ open: '09:00', close: '17:00' }];

export const DEMO_CENTER_SITE = 'bk-site-xfl-center';
export const DEMO_VENUE_SITE = 'venue-res-hall';

export async function seedDemoSites(rt: LocalRuntime): Promise<void> {
  const call = async <A extends ActionName<'sites'>>(
    openid: string,
    action: A,
    data: RequestOf<'sites', A>,
  ): Promise<ResponseOf<'sites', A>> => {
    const res = await rt.call('sites', { action, data }, openid);
    if (!res.ok) throw new Error(`seed sites.${action}: ${res.error.message}`);
    return res.data as ResponseOf<'sites', A>;
  };
  await call('demo-worker', 'saveSite', {
    communityId: XFL,
    fromSiteId: 'site-xfl-center',
    hours: EVERY_DAY,
    capacity: 40,
    facilities: ['多功能厅', '投影', '音响'],
    approval: true,
    maxHours: 3,
    note: '请提前一天预约，使用后恢复桌椅',
    status: 'open',
  });
  await call('demo-unit', 'openVenue', {
    resourceId: 'res-hall',
    address: '健康路 1 号门诊楼五楼',
    lat: 28.1963,
    lng: 112.9788,
    hours: [WEEKEND, [], [], [], [], [], WEEKEND],
    capacity: 120,
    facilities: ['报告厅', '投影', '话筒'],
    approval: false,
    maxHours: 4,
  });
}
