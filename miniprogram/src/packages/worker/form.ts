import type { ActivityDetail, CommunitiesView, RequestOf } from '../../../../types/api';
import type {
  ActivityType,
  Audience,
  CancelPolicy,
  CheckInMethod,
  ServiceSite,
  Unit,
} from '../../../../types/domain';
import { fromParts, toParts } from '../../utils/time';

/** Form state: dates and times as Shanghai wall-clock strings, numbers as typed text. */
export interface ActivityForm {
  type: ActivityType | '';
  title: string;
  description: string;
  siteId: string;
  placeName: string;
  placeAddress: string;
  lat: number | null;
  lng: number | null;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  signUpStartDate: string;
  signUpStartTime: string;
  signUpEndDate: string;
  signUpEndTime: string;
  capacity: string;
  audience: Audience;
  cancelPolicy: CancelPolicy;
  checkInMethod: CheckInMethod;
  hours: string;
  points: string;
  /** 驻区单位 co-hosting the activity (alliance activities). */
  hostUnitIds: string[];
}

export type FieldKey =
  | 'type'
  | 'title'
  | 'description'
  | 'place'
  | 'start'
  | 'end'
  | 'signUpStart'
  | 'signUpEnd'
  | 'capacity'
  | 'hours'
  | 'points';
export type FormErrors = Partial<Record<FieldKey, string>>;

const HOUR = 3600_000;

export function emptyForm(now: number = Date.now()): ActivityForm {
  // Tomorrow 09:00–11:00; sign-up from now until the start.
  const tomorrow = toParts(now + 24 * HOUR).date;
  const nowParts = toParts(now);
  return {
    type: '',
    title: '',
    description: '',
    siteId: '',
    placeName: '',
    placeAddress: '',
    lat: null,
    lng: null,
    startDate: tomorrow,
    startTime: '09:00',
    endDate: tomorrow,
    endTime: '11:00',
    signUpStartDate: nowParts.date,
    signUpStartTime: nowParts.time,
    signUpEndDate: tomorrow,
    signUpEndTime: '09:00',
    capacity: '20',
    audience: 'all',
    cancelPolicy: 'untilStart',
    checkInMethod: 'qr',
    hours: '2',
    points: '2',
    hostUnitIds: [],
  };
}

export function formFromDetail(d: ActivityDetail): ActivityForm {
  const s = toParts(d.startAt);
  const e = toParts(d.endAt);
  const ss = toParts(d.signUpStartAt);
  const se = toParts(d.signUpEndAt);
  return {
    type: d.type,
    title: d.title,
    description: d.description,
    siteId: d.place.siteId ?? '',
    placeName: d.place.name,
    placeAddress: d.place.address ?? '',
    lat: d.place.lat,
    lng: d.place.lng,
    startDate: s.date,
    startTime: s.time,
    endDate: e.date,
    endTime: e.time,
    signUpStartDate: ss.date,
    signUpStartTime: ss.time,
    signUpEndDate: se.date,
    signUpEndTime: se.time,
    capacity: String(d.capacity),
    audience: d.audience,
    cancelPolicy: d.cancelPolicy,
    checkInMethod: d.checkInMethod,
    hours: String(d.hours),
    points: String(d.points),
    hostUnitIds: d.hostUnitIds,
  };
}

export function applySite(form: ActivityForm, site: ServiceSite): ActivityForm {
  return {
    ...form,
    siteId: site._id,
    placeName: site.name,
    placeAddress: site.address,
    lat: site.lat,
    lng: site.lng,
  };
}

/** Units of the alliance that may co-host in this community. */
export function unitsOf(view: CommunitiesView | null, communityId: string | undefined): Unit[] {
  if (!view) return [];
  return view.units.filter((u) => !communityId || u.communityIds.includes(communityId));
}

export function sitesOf(view: CommunitiesView | null, communityId: string | undefined): ServiceSite[] {
  if (!view) return [];
  return view.sites.filter((s) => !communityId || s.communityId === communityId);
}

/** What the form yields once valid: the publish request without the community (chosen by the page). */
export type ParsedForm = Required<Omit<RequestOf<'activity', 'publish'>, 'communityId'>>;

const isInt = (s: string) => /^\d+$/.test(s.trim());
const isNum = (s: string) => /^\d+(\.\d+)?$/.test(s.trim());

/** Checks the form the way the server will, with messages in Chinese. */
export function validate(
  form: ActivityForm,
  opts: { isNew: boolean; now?: number },
): { errors: FormErrors; value?: ParsedForm } {
  const errors: FormErrors = {};
  const now = opts.now ?? Date.now();
  if (!form.type) errors.type = '请选择活动类型';
  const title = form.title.trim();
  if (title.length < 2) errors.title = '标题至少 2 个字';
  else if (title.length > 40) errors.title = '标题最多 40 个字';
  if (form.description.trim().length > 2000) errors.description = '活动介绍最多 2000 字';
  if (!form.placeName.trim() || form.lat === null || form.lng === null) errors.place = '请选择活动地点';
  else if (form.placeName.trim().length > 50) errors.place = '地点名称最多 50 个字';

  const startAt = fromParts(form.startDate, form.startTime);
  const endAt = fromParts(form.endDate, form.endTime);
  const signUpStartAt = fromParts(form.signUpStartDate, form.signUpStartTime);
  const signUpEndAt = fromParts(form.signUpEndDate, form.signUpEndTime);
  if (Number.isNaN(startAt)) errors.start = '请选择开始时间';
  else if (opts.isNew && startAt <= now) errors.start = '开始时间要晚于现在';
  if (Number.isNaN(endAt)) errors.end = '请选择结束时间';
  else if (!errors.start && endAt <= startAt) errors.end = '结束时间要晚于开始时间';
  if (Number.isNaN(signUpStartAt)) errors.signUpStart = '请选择报名开始时间';
  if (Number.isNaN(signUpEndAt)) errors.signUpEnd = '请选择报名截止时间';
  else if (!errors.signUpStart && signUpEndAt <= signUpStartAt) errors.signUpEnd = '报名截止要晚于报名开始';
  else if (!errors.start && signUpEndAt > startAt) errors.signUpEnd = '报名截止不能晚于活动开始';

  if (!isInt(form.capacity)) errors.capacity = '请填写人数（整数，0 表示不限）';
  else if (Number(form.capacity) > 10000) errors.capacity = '人数上限 10000';
  if (!isNum(form.hours)) errors.hours = '请填写服务时长（小时）';
  else if (Number(form.hours) > 24) errors.hours = '服务时长最多 24 小时';
  if (!isInt(form.points)) errors.points = '请填写积分（整数）';
  else if (Number(form.points) > 1000) errors.points = '积分最多 1000';

  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    value: {
      type: form.type as ActivityType,
      title,
      description: form.description.trim(),
      place: {
        name: form.placeName.trim(),
        ...(form.placeAddress.trim() ? { address: form.placeAddress.trim() } : {}),
        lat: form.lat as number,
        lng: form.lng as number,
        ...(form.siteId ? { siteId: form.siteId } : {}),
      },
      startAt,
      endAt,
      signUpStartAt,
      signUpEndAt,
      capacity: Number(form.capacity),
      audience: form.audience,
      cancelPolicy: form.cancelPolicy,
      checkInMethod: form.checkInMethod,
      hours: Number(form.hours),
      points: Number(form.points),
      hostUnitIds: form.hostUnitIds,
    },
  };
}

/** Maps the server's field paths (`place.name`, `startAt` …) onto the form's fields. */
export function fieldsFromServer(fields: Record<string, string> | undefined): FormErrors {
  const out: FormErrors = {};
  if (!fields) return out;
  for (const [path, msg] of Object.entries(fields)) {
    const key = path.replace(/^patch\./, '').split('.')[0];
    const map: Record<string, FieldKey> = {
      type: 'type',
      title: 'title',
      description: 'description',
      place: 'place',
      startAt: 'start',
      endAt: 'end',
      signUpStartAt: 'signUpStart',
      signUpEndAt: 'signUpEnd',
      capacity: 'capacity',
      hours: 'hours',
      points: 'points',
    };
    const k = map[key];
    if (k && !out[k]) out[k] = msg;
  }
  return out;
}
