import Taro from '@tarojs/taro';
import type { RequestOf } from '../../../../types/api';
import type { UploadedPhoto } from '../../api/upload';

/** The 我要反映 form as typed; saved to storage on every change so nothing is lost on leaving. */
export interface GrievanceForm {
  category: string;
  text: string;
  /** Uploaded photos only (file ids and URLs to show). */
  photos: UploadedPhoto[];
  /** Place name (typed in H5, or from the map in WeChat). */
  placeName: string;
  /** Coordinates when the place came from the map / device location. */
  lat: number | null;
  lng: number | null;
  phone: string;
  isPublic: boolean;
}

export type GrievanceField = 'category' | 'text' | 'phone' | 'photos' | 'location';
export type GrievanceErrors = Partial<Record<GrievanceField, string>>;

export const DRAFT_KEY = 'txy:grievanceDraft';
export const TEXT_MIN = 10;
export const TEXT_MAX = 500;
const PHONE_RE = /^1[3-9]\d{9}$/;

export function emptyGrievanceForm(): GrievanceForm {
  return {
    category: '',
    text: '',
    photos: [],
    placeName: '',
    lat: null,
    lng: null,
    phone: '',
    isPublic: false,
  };
}

function isPhoto(v: unknown): v is UploadedPhoto {
  const p = v as UploadedPhoto | null;
  return !!p && typeof p.fileId === 'string' && typeof p.url === 'string';
}

export function loadDraft(): GrievanceForm {
  const base = emptyGrievanceForm();
  try {
    const raw = Taro.getStorageSync(DRAFT_KEY) as unknown;
    const d = (typeof raw === 'string' && raw ? JSON.parse(raw) : raw) as Partial<GrievanceForm> | null;
    if (!d || typeof d !== 'object') return base;
    return {
      category: typeof d.category === 'string' ? d.category : '',
      text: typeof d.text === 'string' ? d.text : '',
      photos: Array.isArray(d.photos) ? d.photos.filter(isPhoto).slice(0, 9) : [],
      placeName: typeof d.placeName === 'string' ? d.placeName : '',
      lat: typeof d.lat === 'number' ? d.lat : null,
      lng: typeof d.lng === 'number' ? d.lng : null,
      phone: typeof d.phone === 'string' ? d.phone : '',
      isPublic: d.isPublic === true,
    };
  } catch {
    return base;
  }
}

function isEmpty(f: GrievanceForm): boolean {
  return !f.category && !f.text && f.photos.length === 0 && !f.placeName && !f.phone && !f.isPublic;
}

export function saveDraft(form: GrievanceForm): void {
  try {
    if (isEmpty(form)) Taro.removeStorageSync(DRAFT_KEY);
    else Taro.setStorageSync(DRAFT_KEY, JSON.stringify(form));
  } catch {
    /* storage full or unavailable: the form still works */
  }
}

export function clearDraft(): void {
  try {
    Taro.removeStorageSync(DRAFT_KEY);
  } catch {
    /* ignore */
  }
}

export function phoneError(phone: string): string | undefined {
  const p = phone.trim();
  return p && !PHONE_RE.test(p) ? '请填写 11 位手机号' : undefined;
}

/** The text sent: a place typed without coordinates (H5) is added to it so it is not lost. */
export function textToSend(form: GrievanceForm): string {
  const text = form.text.trim();
  const place = form.placeName.trim();
  if (place && (form.lat === null || form.lng === null)) return `${text}\n地点：${place}`;
  return text;
}

export type SubmitPayload = Omit<RequestOf<'grievance', 'submit'>, 'communityId'>;

/** Checks the form the way the server will (grievanceSchemas.submit), messages in Chinese. */
export function validateGrievance(form: GrievanceForm): { errors: GrievanceErrors; value?: SubmitPayload } {
  const errors: GrievanceErrors = {};
  if (!form.category) errors.category = '请选择诉求类别';
  const text = form.text.trim();
  if (text.length < TEXT_MIN) errors.text = '请至少写 10 个字，说清楚问题';
  else if (textToSend(form).length > TEXT_MAX) errors.text = '最多 500 字';
  const pe = phoneError(form.phone);
  if (pe) errors.phone = pe;
  if (form.photos.length > 9) errors.photos = '最多上传 9 张图片';
  if (Object.keys(errors).length > 0) return { errors };
  const place = form.placeName.trim().slice(0, 60);
  return {
    errors,
    value: {
      category: form.category,
      text: textToSend(form),
      photos: form.photos.map((p) => p.fileId),
      ...(place && form.lat !== null && form.lng !== null
        ? { location: { name: place, lat: form.lat, lng: form.lng } }
        : {}),
      ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
      isPublic: form.isPublic,
    },
  };
}

/** Maps the server's field paths onto the form's fields. */
export function grievanceFieldsFromServer(fields: Record<string, string> | undefined): GrievanceErrors {
  const out: GrievanceErrors = {};
  for (const [path, msg] of Object.entries(fields ?? {})) {
    const key = path.split('.')[0];
    if (
      (key === 'category' || key === 'text' || key === 'phone' || key === 'photos' || key === 'location') &&
      !out[key]
    )
      out[key] = msg;
  }
  return out;
}
