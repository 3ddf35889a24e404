import { Input, Picker, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { BoardView } from '../../../../types/board';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { useConfirm } from '../../components/TextDialog';
import { currentCommunity, loadMe, useSession } from '../../store/session';
import { Button } from '../../ui';
import { heading, keyboardActivatable, roleProps } from '../../utils/a11y';
import { formatInstant } from '../../utils/time';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './board.scss';

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/** The current Asia/Shanghai month 'YYYY-MM'. */
const thisMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

function Figure({ id, value, label }: { id: string; value: string | number; label: string }) {
  return (
    <View className="board-figure" id={id} aria-label={`${label} ${value}`}>
      <Text className="board-figure__value">{value}</Text>
      <Text className="board-figure__label">{label}</Text>
    </View>
  );
}

type Errors = Partial<Record<'title' | 'body', string>>;

/** 公示栏: a community's monthly figures and notices, for every resident; workers publish notices. */
export default function BoardPage() {
  const { me } = useSession();
  const [month, setMonth] = useState(thisMonth());
  const [board, setBoard] = useState<BoardView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [writing, setWriting] = useState(false);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [pinned, setPinned] = useState<'yes' | 'no'>('no');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const m = await loadMe();
      const community = currentCommunity(m);
      if (!community) throw new Error('请先选择社区');
      setBoard(await call('board', 'view', { communityId: community._id, month }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [month]);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const canPublish =
    !!board &&
    !!me?.user.roles.some(
      (r) => (r.role === 'worker' && r.communityId === board.communityId) || r.role === 'admin',
    );

  const publish = async () => {
    if (!board || busy) return;
    const e: Errors = {};
    if (title.trim().length < 2) e.title = '标题至少 2 个字';
    if (body.trim().length < 2) e.body = '正文至少 2 个字';
    setErrors(e);
    if (Object.keys(e).length) return;
    if (!(await confirm('发布公告？', `「${title.trim()}」将向${board.communityName}全体居民公示。`, '发布')))
      return;
    setBusy(true);
    try {
      await call('board', 'publishNotice', {
        communityId: board.communityId,
        title: title.trim(),
        body: body.trim(),
        pinned: pinned === 'yes',
      });
      Taro.showToast({ title: '已发布', icon: 'success' });
      setTitle('');
      setBody('');
      setPinned('no');
      setWriting(false);
      await load();
    } catch (err) {
      if (err instanceof ApiCallError && err.fields)
        setErrors({ title: err.fields.title, body: err.fields.body });
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  const openNotice = (id: string) =>
    Taro.navigateTo({ url: `/packages/board/notice?id=${encodeURIComponent(id)}` });

  if (error && !board) {
    return (
      <PageShell id="board-page">
        <ErrorState message={error} onRetry={() => void load()} />
      </PageShell>
    );
  }
  if (!board) {
    return (
      <PageShell id="board-page">
        <ListSkeleton rows={3} />
      </PageShell>
    );
  }
  const g = board.grievances;
  const [y, mo] = board.month.split('-');

  return (
    <PageShell id="board-page">
      <View className="board-month">
        <Text {...heading(1)}>
          {board.communityName} · {Number(y)}年{Number(mo)}月
        </Text>
        <Picker
          mode="date"
          fields="month"
          value={month}
          end={thisMonth()}
          onChange={(e) => setMonth(String(e.detail.value).slice(0, 7))}
        >
          <Button id="board-month" size="small" fill="outline">
            换月份
          </Button>
        </Picker>
      </View>

      <View className="card" id="board-notices">
        <View className="alliance-card__head">
          <Text className="alliance-card__title" {...heading(2)}>
            社区公告
          </Text>
          {canPublish && !writing ? (
            <Button id="board-write" size="small" type="primary" onClick={() => setWriting(true)}>
              发布公告
            </Button>
          ) : null}
        </View>
        {writing ? (
          <View id="board-notice-form">
            <Field id="board-notice-title" label="标题" error={errors.title}>
              <Input
                id="board-notice-title-input"
                className={`form-input ${errors.title ? 'form-invalid' : ''}`}
                value={title}
                maxlength={40}
                aria-label="公告标题"
                nativeProps={{ 'aria-label': '公告标题' }}
                onInput={(e) => setTitle(e.detail.value)}
              />
            </Field>
            <Field id="board-notice-body" label="正文" error={errors.body}>
              <TextArea
                id="board-notice-body-input"
                label="公告正文"
                value={body}
                onChange={setBody}
                max={2000}
                invalid={!!errors.body}
              />
            </Field>
            <Field id="board-notice-pinned" label="置顶">
              <Choices
                idPrefix="board-notice-pinned"
                label="是否置顶"
                items={[
                  { value: 'no', label: '不置顶' },
                  { value: 'yes', label: '置顶' },
                ]}
                value={pinned}
                onChange={setPinned}
              />
            </Field>
            <View className="alliance-card__actions">
              <Button id="board-notice-submit" type="primary" disabled={busy} onClick={() => void publish()}>
                发布
              </Button>
              <Button id="board-notice-cancel" fill="outline" onClick={() => setWriting(false)}>
                取消
              </Button>
            </View>
          </View>
        ) : null}
        {board.notices.length === 0 ? (
          <EmptyState id="board-notices-empty" text="暂无公告" />
        ) : (
          board.notices.map((n) => (
            <View
              key={n.noticeId}
              id={`notice-${n.noticeId}`}
              className="board-notice"
              {...roleProps('link')}
              aria-label={`${n.pinned ? '置顶 ' : ''}${n.title}`}
              {...keyboardActivatable(() => openNotice(n.noticeId))}
              onClick={() => openNotice(n.noticeId)}
            >
              {n.pinned ? <StatusTag label="置顶" tone="red" /> : null}
              <Text className="board-notice__title">{n.title}</Text>
              <Text className="line-label">{formatInstant(n.publishedAt)}</Text>
            </View>
          ))
        )}
      </View>

      <View className="card" id="board-grievances">
        <Text className="alliance-card__title" {...heading(2)}>
          群众诉求 · 三率
        </Text>
        <Text className="form-hint">
          本月受理 {g.received} 件，已评价 {g.rated} 件
          {g.unrated ? `，未评价 ${g.unrated} 件（不计入满意）` : ''}
        </Text>
        <View className="board-figures">
          <Figure id="board-response-rate" value={pct(g.responseRate)} label="响应率" />
          <Figure id="board-resolution-rate" value={pct(g.resolutionRate)} label="解决率" />
          <Figure
            id="board-satisfaction-rate"
            value={g.rated ? pct(g.satisfactionRate) : '—'}
            label="满意率"
          />
        </View>
      </View>

      <View className="card" id="board-service">
        <Text className="alliance-card__title" {...heading(2)}>
          微心愿 · 点单服务
        </Text>
        {board.service.available ? (
          <View className="board-figures">
            <Figure id="board-service-posted" value={board.service.posted} label="提出心愿" />
            <Figure id="board-service-met" value={board.service.met} label="已经实现" />
            <Figure id="board-service-rating" value={board.service.avgRating ?? '—'} label="平均评分" />
          </View>
        ) : (
          <Text className="form-hint" id="board-service-none">
            本月暂无点单服务数据
          </Text>
        )}
      </View>

      <View className="card" id="board-projects">
        <Text className="alliance-card__title" {...heading(2)}>
          共治项目
        </Text>
        <View className="board-figures">
          <Figure id="board-projects-claimed" value={board.projects.claimed} label="认领推进中" />
          <Figure id="board-projects-completed" value={board.projects.completed} label="累计完成" />
          <Figure id="board-projects-month" value={board.projects.completedThisMonth} label="本月完成" />
        </View>
        {board.projects.items.map((p) => (
          <View key={p.projectId} className="alliance-row" id={`board-project-${p.projectId}`}>
            <Text className="board-notice__title">{p.title}</Text>
            <StatusTag
              label={p.status === 'completed' ? '已完成' : '推进中'}
              tone={p.status === 'completed' ? 'grey' : 'green'}
            />
            <Text className="line-label">
              {p.avgRating !== null ? `${p.avgRating} 分（${p.ratingCount} 人评）` : '暂无评分'}
            </Text>
          </View>
        ))}
      </View>

      <View className="card" id="board-units">
        <Text className="alliance-card__title" {...heading(2)}>
          共建单位贡献（{board.units.year} 年）
        </Text>
        {board.units.items.length === 0 ? (
          <Text className="form-hint">暂无共建单位</Text>
        ) : (
          board.units.items.map((u) => (
            <View key={u.unitName} className="alliance-row" id={`board-unit-${u.rank}-${u.unitName}`}>
              <Text className="board-notice__title">
                第 {u.rank} 名 · {u.unitName}
              </Text>
              <Text className="line-label">
                完成项目 {u.completedProjects} · 共办活动 {u.activitiesCoHosted} · 开放场地 {u.venuesOpened} ·
                得分 {u.score}
              </Text>
            </View>
          ))
        )}
      </View>

      <View className="card" id="board-hours">
        <Text className="alliance-card__title" {...heading(2)}>
          志愿服务
        </Text>
        <View className="board-figures">
          <Figure id="board-hours-month" value={board.volunteerHours.month} label="本月服务时长（小时）" />
          <Figure id="board-hours-people" value={board.volunteerHours.volunteers} label="参与志愿者（人）" />
        </View>
      </View>
      {confirmDialog}
    </PageShell>
  );
}
