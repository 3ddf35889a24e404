/**
 * The 发布志愿服务 form: state as typed text, validated the way `volunteer.publishService`'s
 * schema checks it (same Chinese wording), turned into the request.
 */
import type { RequestOf } from '../../../../types/api';
import type { CheckInMethod, ServiceSite } from '../../../../types/domain';
import type { ServiceCategory } from '../../../../types/volunteer';
import { fromParts, toParts } from '../../utils/time';

export type RepeatEvery = 'none' | 'day' | 'week';

export interface ServiceForm {
  category: ServiceCategory | '';
  title: string;
  post: string;
  description: string;
  siteId: string;
  placeName: string;
  placeAddress: string;
  lat: number | null;
  lng: number | null;
  /** Comma/space separated (逗号、顿号或空格). */
  skills: string;
  hours: string;
  places: string;
  review: boolean;
  checkInMethod: CheckInMethod;
  date: string;
  startTime: string;
  endTime: string;
  repeat: RepeatEvery;
  count: string;
  /** Minutes before each session that sign-up closes, as a choice value. */
  closesBefore: string;
  hostUnitIds: string[];
}

export type ServiceField =
  | 'category'
  | 'title'
  | 'post'
  | 'description'
  | 'place'
  | 'skills'
  | 'hours'
  | 'places'
  | 'start'
  | 'end'
  | 'count';
export type ServiceErrors = Partial<Record<ServiceField, string>>;

export type ServiceRequest = Omit<RequestOf<'volunteer', 'publishService'>, 'communityId'>;

export { SERVICE_CATEGORY_LIST } from '../../utils/labels';

export const CLOSES_BEFORE: { value: string; label: string }[] = [
  { value: '0', label: '开始时截止' },
  { value: '60', label: '提前 1 小时' },
  { value: '120', label: '提前 2 小时' },
  { value: '1440', label: '提前 1 天' },
];

export const REPEATS: { value: RepeatEvery; label: string }[] = [
  { value: 'none', label: '不重复' },
  { value: 'day', label: '每天' },
  { value: 'week', label: '每周' },
];

export function emptyServiceForm(now: number = Date.now()): ServiceForm {
  const tomorrow = toParts(now + 24 * 3600_000).date;
  return {
    category: '',
    title: '',
    post: '',
    description: '',
    siteId: '',
    placeName: '',
    placeAddress: '',
    lat: null,
    lng: null,
    skills: '',
    hours: '2',
    places: '10',
    review: false,
    checkInMethod: 'code',
    date: tomorrow,
    startTime: '09:00',
    endTime: '11:00',
    repeat: 'none',
    count: '4',
    closesBefore: '0',
    hostUnitIds: [],
  };
}

export function applyServiceSite(form: ServiceForm, site: ServiceSite): ServiceForm {
  return {
    ...form,
    siteId: site._id,
    placeName: site.name,
    placeAddress: site.address,
    lat: site.lat,
    lng: site.lng,
  };
}

export function splitSkills(text: string): string[] {
  const out: string[] = [];
  for (const s of text.split(/[,，、;；\s]+/)) {
    const t = s.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Length check worded like the server's schemas (`请填写…` / `…至少 n 个字` / `…最多 n 个字`). */
export function lengthError(label: string, value: string, min: number, max: number): string | undefined {
  const n = value.trim().length;
  if (n === 0) return `请填写${label}`;
  if (n < min) return `${label}至少 ${min} 个字`;
  if (n > max) return `${label}最多 ${max} 个字`;
  return undefined;
}

const HOUR = 3600_000;

/** Checks the form; `value` only when everything is valid. */
export function validateService(
  form: ServiceForm,
  now: number = Date.now(),
): { errors: ServiceErrors; value?: ServiceRequest } {
  const e: ServiceErrors = {};
  if (!form.category) e.category = '请选择服务类别';
  e.title = lengthError('项目名称', form.title, 2, 30);
  e.post = lengthError('岗位名称', form.post, 2, 20);
  if (form.description.trim().length > 2000) e.description = '服务介绍最多 2000 字';
  if (!form.placeName.trim() || form.lat === null || form.lng === null) e.place = '请选择服务地点';
  else if (form.placeName.trim().length > 50) e.place = '服务地点最多 50 个字';

  const skills = splitSkills(form.skills);
  if (skills.length > 5) e.skills = '技能要求最多 5 项';
  else if (skills.some((s) => s.length > 12)) e.skills = '技能要求每项最多 12 个字';

  const hoursText = form.hours.trim();
  const hours = Number(hoursText);
  if (!/^\d+(\.\d+)?$/.test(hoursText) || hours <= 0) e.hours = '请填写每场服务时长（小时）';
  else if (hours > 24) e.hours = '时长最多 24 小时';

  const placesText = form.places.trim();
  if (!/^\d+$/.test(placesText) || Number(placesText) < 1) e.places = '每场至少 1 个名额';
  else if (Number(placesText) > 1000) e.places = '每场最多 1000 个名额';

  const startAt = fromParts(form.date, form.startTime);
  const endAt = fromParts(form.date, form.endTime);
  if (Number.isNaN(startAt)) e.start = '请选择第一场的日期和开始时间';
  else if (startAt <= now) e.start = '开始时间要晚于现在';
  if (Number.isNaN(endAt)) e.end = '请选择结束时间';
  else if (!Number.isNaN(startAt) && endAt <= startAt) e.end = '结束时间须晚于开始时间';
  else if (!e.hours && !Number.isNaN(startAt) && hours * HOUR > endAt - startAt)
    e.hours = '每场时长不能超过服务时段';

  let repeat: ServiceRequest['repeat'];
  if (form.repeat !== 'none') {
    const c = form.count.trim();
    if (!/^\d+$/.test(c) || Number(c) < 2) e.count = '重复至少 2 场';
    else if (Number(c) > 52) e.count = '最多 52 场';
    else repeat = { every: form.repeat, count: Number(c) };
  }

  const errors = Object.fromEntries(Object.entries(e).filter(([, v]) => !!v)) as ServiceErrors;
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors,
    value: {
      hostUnitIds: form.hostUnitIds,
      category: form.category as ServiceCategory,
      title: form.title.trim(),
      post: form.post.trim(),
      description: form.description.trim(),
      place: {
        name: form.placeName.trim(),
        ...(form.placeAddress.trim() ? { address: form.placeAddress.trim() } : {}),
        lat: form.lat as number,
        lng: form.lng as number,
        ...(form.siteId ? { siteId: form.siteId } : {}),
      },
      requiredSkills: skills,
      hoursPerSession: hours,
      placesPerSession: Number(placesText),
      review: form.review,
      checkInMethod: form.checkInMethod,
      startAt,
      endAt,
      ...(repeat ? { repeat } : {}),
      signUpClosesBeforeMinutes: Number(form.closesBefore),
    },
  };
}

/** Maps the server's field paths onto the form's fields. */
export function serviceFieldsFromServer(fields: Record<string, string> | undefined): ServiceErrors {
  const out: ServiceErrors = {};
  if (!fields) return out;
  const map: Record<string, ServiceField> = {
    category: 'category',
    title: 'title',
    post: 'post',
    description: 'description',
    place: 'place',
    requiredSkills: 'skills',
    hoursPerSession: 'hours',
    placesPerSession: 'places',
    startAt: 'start',
    endAt: 'end',
    repeat: 'count',
  };
  for (const [path, msg] of Object.entries(fields)) {
    const k = map[path.split('.')[0]];
    if (k && !out[k]) out[k] = msg;
  }
  return out;
}
