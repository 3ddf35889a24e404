import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { BookingView } from '../../../../types/sites';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, ErrorState, ListSkeleton } from '../../components/States';
import { useConfirm } from '../../components/TextDialog';
import { Button } from '../../ui';
import { BookingCard, locate, whenText } from './shared';
import '../../styles/grievance.scss';
import '../../styles/alliance.scss';
import './sites.scss';

/** 我的预约: my bookings with their status, the check-in code, 取消预约 and 签到. */
export default function MyBookingsPage() {
  const [items, setItems] = useState<BookingView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { confirm, confirmDialog } = useConfirm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const page = await call('sites', 'myBookings', { pageSize: 50 });
      setItems(page.items);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh());
  });

  const cancel = async (b: BookingView) => {
    if (busy) return;
    if (
      !(await confirm('取消预约？', `${b.siteName}\n${whenText(b)}\n取消后时段将释放给其他人。`, '取消预约'))
    )
      return;
    setBusy(true);
    try {
      await call('sites', 'cancel', { bookingId: b._id });
      Taro.showToast({ title: '已取消', icon: 'success' });
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  const checkIn = async (b: BookingView) => {
    if (busy) return;
    setBusy(true);
    try {
      const at = await locate();
      if (!at) return;
      await call('sites', 'checkIn', { bookingId: b._id, lat: at.lat, lng: at.lng });
      Taro.showToast({ title: '签到成功', icon: 'success' });
      await load();
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PageShell id="my-bookings-page">
      {error && !items ? (
        <ErrorState message={error} onRetry={() => void load()} />
      ) : !items ? (
        <ListSkeleton rows={2} />
      ) : items.length === 0 ? (
        <EmptyState
          id="my-bookings-empty"
          text="还没有预约"
          actionText="去看看服务阵地"
          onAction={() => Taro.redirectTo({ url: '/packages/sites/index' })}
        />
      ) : (
        <View id="my-bookings">
          {items.map((b) => (
            <BookingCard key={b._id} b={b}>
              {b.code && (b.status === 'confirmed' || b.status === 'pending') ? (
                <View className="sites-code-box" id={`booking-${b._id}-code`}>
                  <Text className="line-label">签到码（到场后出示给管理员）</Text>
                  <Text className="sites-code">{b.code}</Text>
                </View>
              ) : null}
              {b.status === 'confirmed' ? (
                <Button
                  id={`booking-${b._id}-checkin`}
                  type="primary"
                  size="small"
                  disabled={busy}
                  onClick={() => void checkIn(b)}
                >
                  签到
                </Button>
              ) : null}
              {b.canCancel ? (
                <Button
                  id={`booking-${b._id}-cancel`}
                  type="danger"
                  fill="outline"
                  size="small"
                  disabled={busy}
                  onClick={() => void cancel(b)}
                >
                  取消预约
                </Button>
              ) : null}
            </BookingCard>
          ))}
        </View>
      )}
      {confirmDialog}
    </PageShell>
  );
}
