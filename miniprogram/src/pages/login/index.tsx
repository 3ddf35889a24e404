import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { errorMessage, fetchConfig, login } from '../../api';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { loadMe, resetSession } from '../../store/session';
import { Button } from '../../ui';
import { heading } from '../../utils/a11y';
import './index.scss';

/** Demo identities offered by the local server in demo mode (H5 only). */
export const DEMO_USERS = [
  { openid: 'demo-resident', label: '居民', desc: '浏览和报名社区活动' },
  { openid: 'demo-member', label: '党员', desc: '参加主题党日、三会一课' },
  { openid: 'demo-volunteer', label: '志愿者', desc: '报名志愿服务、记录时长' },
  { openid: 'demo-unit', label: '驻区单位工作人员', desc: '参加联盟活动' },
  { openid: 'demo-worker', label: '社区工作者', desc: '发布和管理活动' },
  { openid: 'demo-admin', label: '街道管理员', desc: '管理社区和工作人员' },
] as const;

export default function LoginPage() {
  const [demo, setDemo] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const loadConfig = () => {
    setError(null);
    fetchConfig()
      .then((c) => setDemo(c.demo))
      .catch((err) => setError(errorMessage(err)));
  };
  useEffect(loadConfig, []);

  const pick = async (openid: string) => {
    setBusy(openid);
    try {
      await login(`demo:${openid}`);
      resetSession();
      await loadMe(true).catch(() => undefined);
      Taro.reLaunch({ url: '/pages/index/index' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <PageShell id="login-page" className="login">
      <View className="login__brand">
        <Text className="login__title" {...heading(1)}>
          同心圆
        </Text>
        <Text className="login__subtitle">区域化党建 · 社区服务</Text>
      </View>
      {error ? (
        <ErrorState message={error} onRetry={loadConfig} />
      ) : demo === null ? (
        <ListSkeleton rows={1} />
      ) : demo ? (
        <View className="card">
          <Text className="section-title" {...heading(2)}>
            选择演示身份登录
          </Text>
          {DEMO_USERS.map((u) => (
            <View key={u.openid} className="login__item">
              <Button
                id={`login-${u.openid}`}
                type="primary"
                fill={u.openid === 'demo-resident' ? 'solid' : 'outline'}
                block
                loading={busy === u.openid}
                disabled={busy !== null}
                onClick={() => void pick(u.openid)}
              >
                {u.label}
              </Button>
              <Text className="login__desc">{u.desc}</Text>
            </View>
          ))}
        </View>
      ) : (
        <View className="card">
          <Text className="state-text">请在微信中打开“同心圆”小程序使用。</Text>
        </View>
      )}
    </PageShell>
  );
}
