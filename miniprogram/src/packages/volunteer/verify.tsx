import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { CertificateVerification } from '../../../../types/volunteer';
import { ApiCallError, call, errorMessage } from '../../api';
import { PageShell } from '../../components/PageShell';
import { PendingPage } from '../../components/States';
import { StatusTag } from '../../components/StatusTag';
import { heading, roleProps } from '../../utils/a11y';
import { shanghai } from '../../utils/time';
import { Line, hoursText, param, verifyTarget } from './shared';
import './volunteer.scss';

/**
 * 证明验证 (`?no=<number>&t=<token>`; or `?q=<scanned URL>` when WeChat's scanner opened it through a
 * 扫普通链接二维码 rule; or 扫码验证 from inside the app): says whether the certificate is genuine
 * and shows only what the certificate itself shows.
 */
export default function VerifyPage() {
  const router = useRouter();
  const fromScan = verifyTarget(param(router.params, 'q'));
  const [target, setTarget] = useState({
    no: fromScan?.no ?? param(router.params, 'no'),
    t: fromScan?.t ?? param(router.params, 't'),
  });
  const number = target.no;
  const token = target.t;
  const [result, setResult] = useState<CertificateVerification | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    if (!number || !token) {
      setResult({ valid: false });
      return;
    }
    try {
      setResult(await call('volunteer', 'verifyCertificate', { number, token }));
    } catch (err) {
      // A malformed number or token is simply not a certificate we know.
      if (err instanceof ApiCallError && (err.code === 'INVALID_INPUT' || err.code === 'NOT_FOUND'))
        setResult({ valid: false });
      else setError(errorMessage(err));
    }
  }, [number, token]);
  useEffect(() => {
    void load();
  }, [load]);

  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
      const next = verifyTarget(r.result ?? '');
      setResult(null);
      if (next) setTarget(next);
      else setResult({ valid: false });
    } catch {
      // Closing the scanner is not an error.
    }
  };
  const scanButton =
    process.env.TARO_ENV === 'weapp' ? (
      <Button
        id="verify-scan"
        block
        fill="outline"
        onClick={() => void scan()}
        aria-label="扫描证明上的二维码进行验证"
      >
        扫码验证其他证明
      </Button>
    ) : null;

  if (!result) return <PendingPage id="volunteer-verify-page" error={error} onRetry={() => void load()} />;

  const c = result.valid ? result.certificate : undefined;
  return (
    <PageShell id="volunteer-verify-page">
      <Text className="page-title" {...heading(1)}>
        志愿服务证明验证
      </Text>
      {result.valid && c ? (
        <View className="card vol-cert" id="verify-valid" {...roleProps('status')}>
          <View className="vol-head">
            <Text className="vol-title" id="verify-result">
              真实有效
            </Text>
            <StatusTag label="已核验" tone="green" />
          </View>
          <Line label="证明编号">
            <Text>{c.number}</Text>
          </Line>
          <Line label="开具日期">
            <Text>{shanghai(c.issuedAt).format('YYYY年M月D日')}</Text>
          </Line>
          <Line label="志愿者">
            <Text>{c.nameMasked}</Text>
          </Line>
          <Line label="身份证号">
            <Text>{c.idMasked}</Text>
          </Line>
          <Line label="服务时长">
            <Text>{hoursText(c.recordedHours + c.grantedHours)} 小时</Text>
          </Line>
          <Line label="服务项目">
            <Text>{c.services.length} 项</Text>
          </Line>
          <Line label="开具单位">
            <Text>{c.issuer}</Text>
          </Line>
        </View>
      ) : (
        <View className="card" id="verify-invalid" {...roleProps('status')}>
          <View className="vol-head">
            <Text className="vol-title" id="verify-result">
              未找到
            </Text>
            <StatusTag label="无法核验" tone="red" />
          </View>
          <Text className="muted">
            没有找到与此二维码对应的志愿服务证明。请确认二维码完整清晰，或联系开具证明的社区核实。
          </Text>
        </View>
      )}
      {scanButton}
    </PageShell>
  );
}
