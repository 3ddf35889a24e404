import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActivityDetail } from '../../../../types/api';
import type { CheckInCodeView } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { QrCode } from '../../components/QrCode';
import { ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { formatRange } from '../../utils/time';
import './volunteer-worker.scss';

const REFRESH_MIN_MS = 1000;
const REFRESH_MARGIN_MS = 300;

/** Keeps the screen on while the organiser shows the code (weapp only; H5 has no such API). */
function keepScreenOn(on: boolean) {
  if (process.env.TARO_ENV !== 'weapp') return;
  try {
    void Promise.resolve(Taro.setKeepScreenOn({ keepScreenOn: on })).catch(() => undefined);
  } catch {
    // not supported: nothing to do
  }
}

export default function CheckInCodePage() {
  const router = useRouter();
  const activityId = router.params.id ? decodeURIComponent(router.params.id) : '';
  const [view, setView] = useState<CheckInCodeView | null>(null);
  const [activity, setActivity] = useState<ActivityDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  /** Server clock minus this device's, estimated when the device's clock is visibly off. */
  const [skew, setSkew] = useState(0);
  const seq = useRef(0);

  const load = useCallback(async () => {
    if (!activityId) return;
    const my = ++seq.current;
    try {
      const v = await call('volunteer', 'checkInCode', { activityId });
      if (my !== seq.current) return;
      const t = Date.now();
      // The server's "now" lies in [validUntil − windowMs, validUntil]; outside it, this device's
      // clock is wrong, so count down from the middle of the window instead.
      const inWindow = v.validUntil - v.windowMs <= t && t <= v.validUntil;
      setSkew(inWindow ? 0 : v.validUntil - v.windowMs / 2 - t);
      setView(v);
      setError(null);
      setNow(t);
    } catch (err) {
      if (my !== seq.current) return;
      setError(errorMessage(err));
    }
  }, [activityId]);

  useEffect(() => {
    void load();
    if (!activityId) return;
    // Title and time for the organiser's screen; the code works without them.
    call('activity', 'detail', { activityId })
      .then(setActivity)
      .catch(() => undefined);
  }, [activityId, load]);

  useDidShow(() => {
    keepScreenOn(true);
    if (view) void load();
  });

  useEffect(() => {
    keepScreenOn(true);
    return () => keepScreenOn(false);
  }, []);

  // The countdown ticks every second; when the window ends the next code is fetched.
  useEffect(() => {
    if (!view || view.method === 'gps') return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    // A little after the window ends (never sooner than 1 s, so a wrong clock cannot loop).
    const remaining = view.validUntil - (Date.now() + skew);
    const refresh = setTimeout(() => void load(), Math.max(REFRESH_MIN_MS, remaining + REFRESH_MARGIN_MS));
    return () => {
      clearInterval(tick);
      clearTimeout(refresh);
    };
  }, [view, skew, load]);

  if (!activityId) {
    return (
      <PageShell id="checkin-code-page">
        <ErrorState message="没有找到这个活动，请返回重试" onRetry={() => Taro.navigateBack()} />
      </PageShell>
    );
  }
  if (!view) {
    return (
      <PageShell id="checkin-code-page">
        {error ? <ErrorState message={error} onRetry={() => void load()} /> : <ListSkeleton rows={2} />}
      </PageShell>
    );
  }

  const seconds = Math.min(
    Math.round(view.windowMs / 1000),
    Math.max(0, Math.ceil((view.validUntil - (now + skew)) / 1000)),
  );
  const gps = view.method === 'gps';

  return (
    <PageShell id="checkin-code-page">
      <Text className="page-title" {...heading(1)}>
        {activity ? activity.title : '现场签到'}
      </Text>
      {activity ? (
        <Text className="muted" id="checkin-activity-time">
          {formatRange(activity.startAt, activity.endAt)} · {activity.place.name}
        </Text>
      ) : null}

      {gps ? (
        <View className="card vw-code-card" id="checkin-gps-note" {...roleProps('note')}>
          <Text className="vw-code-title" {...heading(2)}>
            本场采用定位签到
          </Text>
          <Text className="vw-card__text">
            无需扫码或签到码：志愿者到达服务地点附近后，在“签到”页允许获取位置即可签到、签退。
          </Text>
        </View>
      ) : (
        <>
          <View className="card vw-code-card" id="checkin-code-card">
            <Text className="vw-code-title" {...heading(2)}>
              {view.method === 'code' ? '请志愿者输入签到码' : '请志愿者扫码签到'}
            </Text>
            {/* Sessions set to 签到码 accept only the typed code, so no QR to scan there. */}
            {view.method === 'qr' ? (
              <>
                <QrCode value={view.qr} size={440} label="签到二维码，请用同心圆小程序扫码" />
                <Text className="muted">或在“签到”页输入签到码</Text>
              </>
            ) : null}
            <Text
              className="vw-code"
              id="checkin-code"
              data-testid="checkin-code"
              aria-label={`签到码 ${view.code.split('').join(' ')}`}
            >
              {view.code}
            </Text>
            <Text className="vw-countdown" id="checkin-countdown">
              {seconds > 0 ? `${seconds} 秒后自动更换` : '正在更换…'}
            </Text>
            {error ? (
              <Text className="form-error" id="checkin-code-error" {...roleProps('alert')}>
                {`刷新失败：${error}`}
              </Text>
            ) : null}
          </View>
          <Text className="muted">
            {`${view.method === 'qr' ? '二维码和签到码' : '签到码'}每 ${Math.round(view.windowMs / 1000)} 秒更换一次，截图转发后很快失效。页面打开期间屏幕保持常亮。`}
          </Text>
        </>
      )}

      <View className="vw-actions">
        {gps ? null : (
          <Button id="checkin-refresh" fill="outline" onClick={() => void load()}>
            立即刷新
          </Button>
        )}
        <Button
          id="checkin-attendance"
          type="primary"
          onClick={() =>
            Taro.navigateTo({ url: `/packages/worker/attendance?id=${encodeURIComponent(activityId)}` })
          }
        >
          查看签到记录
        </Button>
      </View>
    </PageShell>
  );
}
