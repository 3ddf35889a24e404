import type { GrievanceActionName } from '../../../../types/api';
import type { Satisfaction } from '../../../../types/domain';
import type { UploadedPhoto } from '../../api/upload';

/** Actions that need input first (a dialog); the others run on tap. */
export type DialogAction =
  | 'supplyInfo'
  | 'rate'
  | 'returnGrievance'
  | 'dispatch'
  | 'askInfo'
  | 'progress'
  | 'resolve'
  | 'requestExtension';

export interface DialogState {
  action: DialogAction;
  text: string;
  photos: UploadedPhoto[];
  hours: string;
  satisfaction: Satisfaction | '';
  /** `${kind}:${id}` of the chosen handler. */
  handler: string;
  error: string;
}

export interface DialogSpec {
  title: string;
  /** Label of the text field; absent when the dialog has none. */
  textLabel?: string;
  placeholder?: string;
  min: number;
  max: number;
  /** Message when the text is too short (the server's wording). */
  minMessage: string;
  photos?: boolean;
  submitText: string;
}

export const DIALOGS: Record<DialogAction, DialogSpec> = {
  supplyInfo: {
    title: '补充信息',
    textLabel: '补充说明',
    placeholder: '按工作人员的提问补充说明',
    min: 2,
    max: 500,
    minMessage: '请补充说明',
    photos: true,
    submitText: '提交补充',
  },
  rate: {
    title: '评价办理结果',
    textLabel: '说说您的看法（可不填）',
    placeholder: '办得怎么样？',
    min: 0,
    max: 200,
    minMessage: '',
    submitText: '提交评价',
  },
  returnGrievance: {
    title: '退回诉求',
    textLabel: '退回原因（居民会看到）',
    placeholder: '如：不属于社区办理范围，请拨打 12345',
    min: 2,
    max: 200,
    minMessage: '请填写退回原因',
    submitText: '退回',
  },
  dispatch: { title: '派单', min: 0, max: 0, minMessage: '', submitText: '派单' },
  askInfo: {
    title: '请居民补充',
    textLabel: '需要补充的内容',
    placeholder: '如：请拍一张漏水位置的照片',
    min: 2,
    max: 200,
    minMessage: '请写明需要补充的内容',
    submitText: '发送',
  },
  progress: {
    title: '更新进展',
    textLabel: '办理进展',
    placeholder: '如：已联系物业，明天上午维修',
    min: 2,
    max: 500,
    minMessage: '请填写进展',
    photos: true,
    submitText: '提交进展',
  },
  resolve: {
    title: '办结',
    textLabel: '办理结果（居民会看到）',
    placeholder: '如：路灯已更换，恢复照明',
    min: 2,
    max: 500,
    minMessage: '请填写办理结果',
    photos: true,
    submitText: '办结',
  },
  requestExtension: {
    title: '申请延期',
    textLabel: '延期原因',
    placeholder: '如：需等待配件到货',
    min: 2,
    max: 200,
    minMessage: '请填写延期原因',
    submitText: '提交申请',
  },
};

/** Button order and wording for every action the viewer may take. */
export const ACTION_BUTTONS: { name: GrievanceActionName; label: string; primary?: boolean }[] = [
  { name: 'supplyInfo', label: '补充信息', primary: true },
  { name: 'rate', label: '评价', primary: true },
  { name: 'accept', label: '受理', primary: true },
  { name: 'dispatch', label: '派单', primary: true },
  { name: 'start', label: '开始办理', primary: true },
  { name: 'progress', label: '更新进展' },
  { name: 'resolve', label: '办结', primary: true },
  { name: 'askInfo', label: '请居民补充' },
  { name: 'requestExtension', label: '申请延期' },
  { name: 'returnGrievance', label: '退回' },
];

export function emptyDialog(action: DialogAction): DialogState {
  return { action, text: '', photos: [], hours: '24', satisfaction: '', handler: '', error: '' };
}

/** Checks a dialog's input the way the server will; returns the message to show, or ''. */
export function dialogError(d: DialogState): string {
  const spec = DIALOGS[d.action];
  const text = d.text.trim();
  if (d.action === 'rate' && !d.satisfaction) return '请选择满意程度';
  if (d.action === 'dispatch' && !d.handler) return '请选择承办人';
  if (d.action === 'requestExtension') {
    const h = d.hours.trim();
    if (!/^\d+$/.test(h) || Number(h) < 1) return '至少延长 1 小时';
    if (Number(h) > 24 * 30) return '最多延长 30 天';
  }
  if (spec.min > 0 && text.length < spec.min) return spec.minMessage;
  if (spec.max > 0 && text.length > spec.max) return `最多 ${spec.max} 字`;
  return '';
}
