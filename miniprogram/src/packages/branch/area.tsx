import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import type { AreaView } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { loadMe } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import { Line, useLoadOnShow } from './shared';
import './branch.scss';

/** 党员责任区 (亮身份): who answers for each building; residents message them in the app. */
export default function AreaPage() {
  const [communityId, setCommunityId] = useState<string | null>(null);
  const [areas, setAreas] = useState<AreaView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [to, setTo] = useState<{ building: string; name: string } | null>(null);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const id = (await loadMe()).user.currentCommunityId ?? '';
      setCommunityId(id);
      if (id) setAreas(await call('branch', 'areas', { communityId: id }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useLoadOnShow(load);

  const send = async () => {
    if (!to || !communityId) return;
    if (text.trim().length < 2) return setTextError('请写下想说的话（至少 2 个字）');
    setBusy(true);
    try {
      await call('branch', 'messageAreaMember', { communityId, building: to.building, text: text.trim() });
      Taro.showToast({ title: '已发送', icon: 'success' });
      setTo(null);
      setText('');
    } catch (err) {
      setTextError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (!communityId)
    return (
      <PageShell id="area-page">
        <EmptyState text="请先在首页选择社区" />
      </PageShell>
    );
  if (error)
    return (
      <PageShell id="area-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  if (!areas)
    return (
      <PageShell id="area-page">
        <ListSkeleton rows={2} />
      </PageShell>
    );
  return (
    <PageShell id="area-page">
      <Text className="page-title" {...heading(1)}>
        党员责任区
      </Text>
      {areas.length === 0 ? <EmptyState id="area-empty" text="本社区还没有划分党员责任区" /> : null}
      {areas.map((a) => (
        <View key={a.memberOpenid} className="card" id={`area-${a.memberOpenid}`}>
          <Text className="activity-card__title">{a.buildings.join('、')}</Text>
          <Line label="责任党员">{a.memberName}</Line>
          <Line label="所在支部">{a.branchName}</Line>
          {a.contactMasked ? <Line label="联系电话">{a.contactMasked}</Line> : null}
          <View className="branch-actions">
            {a.buildings.map((b) => (
              <Button
                key={b}
                id={`area-message-${b}`}
                className="branch-btn"
                size="small"
                fill="outline"
                onClick={() => setTo({ building: b, name: a.memberName })}
              >
                给{a.memberName}留言（{b}）
              </Button>
            ))}
          </View>
        </View>
      ))}
      {to ? (
        <View className="card" id="area-message-form">
          <Field
            id="area-message-text"
            label={`给${to.name}留言`}
            error={textError}
            hint="对方会在“消息”里收到"
          >
            <TextArea
              id="area-message-text"
              label="留言"
              value={text}
              max={200}
              invalid={!!textError}
              onChange={(v) => {
                setText(v);
                setTextError('');
              }}
            />
          </Field>
          <Button
            id="area-message-send"
            className="block-btn"
            type="primary"
            loading={busy}
            disabled={busy}
            onClick={() => void send()}
          >
            发送留言
          </Button>
        </View>
      ) : null}
    </PageShell>
  );
}
