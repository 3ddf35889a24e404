import { Input, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { PhotoEditor } from '../../components/PhotoEditor';
import type { UploadedPhoto } from '../../api/upload';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { loadMe } from '../../store/session';
import { useSubscribeAsk } from '../../utils/subscribe';
import { CATEGORIES } from './labels';

/** 点单: post a request (category, description, up to 9 photos, when, where; the exact address only
 *  for takers). */
export default function NewServiceRequest() {
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const [area, setArea] = useState('');
  const [address, setAddress] = useState('');
  const [hoursFromNow, setHoursFromNow] = useState('24');
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();
  // Progress messages (reviewed, taken, done): asked in the 发布需求 tap (WeChat only).
  const askToSubscribe = useSubscribeAsk('servicePost');

  async function submit() {
    const e: Record<string, string> = {};
    if (!category) e.category = '请选择需求类别';
    if (text.trim().length < 10) e.text = '请至少写 10 个字说明需求';
    if (area.trim().length < 2) e.area = '请填写大致区域（如小区、楼栋）';
    if (address.trim().length < 2) e.address = '请填写详细地址';
    setErrors(e);
    if (Object.keys(e).length) return;
    const asked = askToSubscribe(); // first, still inside the tap
    if (asked) await asked;
    if (
      !(await confirm(
        '发布需求',
        '发布后社区会审核并公开需求（详细地址只给接单人和社区工作者看），确定发布吗？',
        '确定发布',
      ))
    )
      return;
    setBusy(true);
    try {
      const me = await loadMe();
      const communityId = me.user.currentCommunityId ?? '';
      let lat = 0;
      let lng = 0;
      try {
        const p = await Taro.getLocation({ type: 'gcj02' });
        lat = p.latitude;
        lng = p.longitude;
      } catch {
        // Without a location the request is still listed (by time).
      }
      const r = await call('service', 'submit', {
        communityId,
        category,
        text: text.trim(),
        photos: photos.map((p) => p.fileId),
        startAt: Date.now() + Math.max(1, Number(hoursFromNow) || 24) * 3600_000,
        place: { area: area.trim(), address: address.trim(), lat, lng },
      });
      void Taro.redirectTo({ url: `/packages/service/detail?id=${r._id}` });
    } catch (err) {
      // A photo the server refused (e.g. not uploaded by you) is shown at the photos.
      const fields = err instanceof ApiCallError ? err.fields : undefined;
      setErrors({ form: errorMessage(err), ...(fields?.photos ? { photos: fields.photos } : {}) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageShell id="service-new-page">
      <Text className="page-title" {...heading(1)}>
        我要点单
      </Text>
      <Field id="service-category" label="需求类别" error={errors.category}>
        <Choices
          idPrefix="service-category"
          label="需求类别"
          items={CATEGORIES}
          value={category}
          onChange={setCategory}
        />
      </Field>
      <Field id="service-text" label="需求说明（10–500 字）" error={errors.text}>
        <TextArea
          id="service-text"
          label="需求说明"
          value={text}
          onChange={setText}
          max={500}
          invalid={!!errors.text}
        />
      </Field>
      <Field id="service-photos" label="照片（可不传，最多 9 张）" error={errors.photos}>
        <PhotoEditor id="service-photos" value={photos} onChange={setPhotos} />
      </Field>
      <Field id="service-when" label="多少小时后需要" error={errors.when}>
        <Input
          id="service-when"
          aria-label="多少小时后需要"
          nativeProps={{ 'aria-label': '多少小时后需要' }}
          className="form-input"
          type="number"
          value={hoursFromNow}
          onInput={(ev) => setHoursFromNow(ev.detail.value)}
        />
      </Field>
      <Field id="service-area" label="大致区域（公开）" error={errors.area}>
        <Input
          id="service-area"
          aria-label="大致区域"
          nativeProps={{ 'aria-label': '大致区域' }}
          className="form-input"
          value={area}
          maxlength={30}
          onInput={(ev) => setArea(ev.detail.value)}
        />
      </Field>
      <Field id="service-address" label="详细地址（仅接单人和社区可见）" error={errors.address}>
        <Input
          id="service-address"
          aria-label="详细地址"
          nativeProps={{ 'aria-label': '详细地址' }}
          className="form-input"
          value={address}
          maxlength={80}
          onInput={(ev) => setAddress(ev.detail.value)}
        />
      </Field>
      <Text className="form-hint">联系通过站内消息进行，你的手机号不会公开。</Text>
      {errors.form ? (
        <Text className="form-error" {...roleProps('alert')}>
          {errors.form}
        </Text>
      ) : null}
      <Button
        id="service-submit"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void submit()}
      >
        发布需求
      </Button>
      {confirmDialog}
    </PageShell>
  );
}
