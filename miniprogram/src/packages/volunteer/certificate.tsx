import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { CertificateView, ServiceProfile } from '../../../../types/volunteer';
import { call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { EmptyState, PendingPage } from '../../components/States';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { shanghai } from '../../utils/time';
import { Line, Qr, StarProgress, hoursText, openVolunteer } from './shared';
import './volunteer.scss';

const dateText = (ms: number) => shanghai(ms).format('YYYY年M月D日');

/** One issued 志愿服务证明: number, date, masked identity, hours, services, issuer and its QR. */
function CertificateCard({ cert }: { cert: CertificateView }) {
  const total = cert.recordedHours + cert.grantedHours;
  const shown = cert.services.slice(0, 5);
  return (
    <View className="card vol-cert" id={`cert-${cert.number}`}>
      <Text className="vol-cert__title" {...heading(2)}>
        志愿服务证明
      </Text>
      <Line label="证明编号">
        <Text className="cert-number">{cert.number}</Text>
      </Line>
      <Line label="开具日期">
        <Text>{dateText(cert.issuedAt)}</Text>
      </Line>
      <Line label="志愿者">
        <Text>{cert.nameMasked}</Text>
      </Line>
      <Line label="身份证号">
        <Text>{cert.idMasked}</Text>
      </Line>
      <Line label="服务时长">
        <Text>
          共 {hoursText(total)} 小时（信用时长 {hoursText(cert.recordedHours)} 小时
          {cert.grantedHours > 0 ? `，荣誉时长 ${hoursText(cert.grantedHours)} 小时` : ''}）
        </Text>
      </Line>
      <Line label="服务项目">
        <View {...roleProps('list')} aria-label="服务项目">
          {shown.length === 0 ? <Text>—</Text> : null}
          {shown.map((s, i) => (
            <Text key={`${s.title}-${i}`} className="vol-list-item" {...roleProps('listitem')}>
              {s.date} {s.title} {hoursText(s.hours)} 小时
            </Text>
          ))}
          {cert.services.length > shown.length ? (
            <Text className="muted">等 {cert.services.length} 项服务</Text>
          ) : null}
        </View>
      </Line>
      <Line label="开具单位">
        <Text>{cert.issuer}</Text>
      </Line>
      <View className="vol-actions" style={{ flexDirection: 'column', alignItems: 'center' }}>
        <Qr value={cert.qrContent} size={280} label={`证明 ${cert.number} 的验证二维码`} />
        <Text className="muted">扫码可核验本证明的真伪</Text>
      </View>
    </View>
  );
}

/** 星级与证明: star level with progress, then issuing and listing service certificates. */
export default function CertificatePage() {
  const [profile, setProfile] = useState<ServiceProfile | null>(null);
  const [certs, setCerts] = useState<CertificateView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [p, c] = await Promise.all([
        call('volunteer', 'profile', {}),
        call('volunteer', 'myCertificates', {}),
      ]);
      setProfile(p);
      setCerts(c.items);
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

  const issue = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const c = await call('volunteer', 'issueCertificate', {});
      setCerts((list) => [c, ...(list ?? []).filter((x) => x.number !== c.number)]);
      Taro.showToast({ title: '服务证明已开具', icon: 'success' });
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 3000 });
    } finally {
      setBusy(false);
    }
  };

  if (!profile || !certs)
    return <PendingPage id="volunteer-certificate-page" error={error} onRetry={() => void load()} />;

  const approved = profile.registration?.status === 'approved';

  return (
    <PageShell id="volunteer-certificate-page">
      <Text className="page-title" {...heading(1)}>
        星级与服务证明
      </Text>
      <View className="card" id="cert-star">
        <StarProgress star={profile.star} recordedHours={profile.recordedHours} />
        <Text className="muted">
          累计信用时长 {hoursText(profile.recordedHours)} 小时 · 荣誉时长 {hoursText(profile.grantedHours)}{' '}
          小时
        </Text>
        <Text className="muted vol-block">
          星级标准：1 星 100 小时、2 星 300、3 星 600、4 星 1000、5 星 1500 小时
        </Text>
      </View>

      <View className="card" id="cert-issue">
        <Text className="section-title vol-card-title" {...heading(2)}>
          申请服务证明
        </Text>
        <Text className="muted">
          {approved
            ? '证明载明你的服务时长和服务项目，身份信息已隐去部分，可用于升学、求职等场合。'
            : '完成志愿者实名登记并通过审核后，可以开具服务证明。'}
        </Text>
        <View className="vol-actions">
          {approved ? (
            <Button
              id="cert-issue-btn"
              type="primary"
              loading={busy}
              disabled={busy}
              onClick={() => void issue()}
            >
              开具服务证明
            </Button>
          ) : (
            <Button
              id="cert-register"
              type="primary"
              fill="outline"
              onClick={() => openVolunteer('register')}
            >
              去登记
            </Button>
          )}
        </View>
      </View>

      <Text className="section-title" {...heading(2)}>
        我的服务证明
      </Text>
      <View id="cert-list">
        {certs.length === 0 ? (
          <EmptyState id="cert-empty" text="还没有开具过服务证明" />
        ) : (
          certs.map((c) => <CertificateCard key={c.number} cert={c} />)
        )}
      </View>
    </PageShell>
  );
}
