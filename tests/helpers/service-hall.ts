/**
 * Fixtures of the 需求大厅 (service.nearby) tests: a volunteer standing in 幸福里, and 微心愿 posted
 * by the demo resident at points around them.
 */
import type { ServiceDetail } from '../../types/service';
import { DAY, type Harness } from './harness';

export const RESIDENT = 'demo-resident';
export const VOLUNTEER = 'demo-volunteer';
export const WORKER = 'demo-worker';
export const XFL = 'community-xingfuli';
export const TEXT = '家里老人腿脚不便，想请人帮忙去超市买米和油送上楼';
/** The volunteer stands here (幸福里). */
export const ME = { lat: 28.19, lng: 112.98 };
/** ≈ metres north of ME. */
export const north = (m: number) => ({ lat: ME.lat + m / 111_195, lng: ME.lng });

/** An errand posted by the resident at `at`, starting a day from now. */
export const postRequest = (h: Harness, at: { lat: number; lng: number }, area: string) =>
  h.call(RESIDENT, 'service', 'submit', {
    communityId: XFL,
    category: 'errands',
    text: TEXT,
    startAt: h.clock.now + DAY,
    place: { area, address: `${area} 1 单元 101`, ...at },
  } as never) as Promise<ServiceDetail>;
