import { Text, View } from '@tarojs/components';
import Taro, { useRouter } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import type { Community, ServiceSite } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { PageShell } from '../../components/PageShell';
import { ErrorState, ListSkeleton } from '../../components/States';
import { Button } from '../../ui';
import { heading, roleProps } from '../../utils/a11y';
import { AdminInput } from './shared';

type SiteForm = {
  siteId?: string;
  name: string;
  address: string;
  lat: string;
  lng: string;
  openingHours: string;
  facilities: string;
  contact: string;
};
const EMPTY_SITE: SiteForm = {
  name: '',
  address: '',
  lat: '',
  lng: '',
  openingHours: '',
  facilities: '',
  contact: '',
};

const fieldErrors = (err: unknown): Record<string, string> =>
  err instanceof ApiCallError && err.code === 'INVALID_INPUT' ? (err.fields ?? {}) : {};

/** Create or edit a community (name, address) and its service sites (服务阵地). */
export default function AdminCommunity() {
  const router = useRouter();
  const [communityId, setCommunityId] = useState(
    router.params.id ? decodeURIComponent(router.params.id) : '',
  );
  const [loading, setLoading] = useState(!!communityId);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [sites, setSites] = useState<ServiceSite[]>([]);
  const [site, setSite] = useState<SiteForm | null>(null);
  const [siteErrors, setSiteErrors] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    if (!communityId) return;
    setLoadError(null);
    try {
      const dir = await call('user', 'communities', {});
      const c = dir.communities.find((x) => x._id === communityId);
      if (!c) throw new Error('社区不存在或已被删除');
      setName(c.name);
      setAddress(c.address);
      setSites(dir.sites.filter((s) => s.communityId === communityId));
    } catch (err) {
      setLoadError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }, [communityId]);
  useEffect(() => {
    void load();
  }, [load]);

  const save = async () => {
    const local: Record<string, string> = {};
    if (name.trim().length < 2) local.name = '社区名称至少 2 个字';
    if (address.trim().length < 2) local.address = '请填写社区地址';
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const saved: Community = await call('user', 'saveCommunity', {
        ...(communityId ? { communityId } : {}),
        name,
        address,
      });
      Taro.showToast({ title: communityId ? '已保存' : '社区已创建', icon: 'none' });
      setCommunityId(saved._id);
    } catch (err) {
      const f = fieldErrors(err);
      setErrors(Object.keys(f).length ? f : { _: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const saveSite = async () => {
    if (!site) return;
    const lat = Number(site.lat);
    const lng = Number(site.lng);
    const local: Record<string, string> = {};
    if (site.name.trim().length < 2) local.name = '阵地名称至少 2 个字';
    if (site.address.trim().length < 2) local.address = '请填写地址';
    if (site.lat.trim() === '' || !Number.isFinite(lat) || Math.abs(lat) > 90) local.lat = '纬度不正确';
    if (site.lng.trim() === '' || !Number.isFinite(lng) || Math.abs(lng) > 180) local.lng = '经度不正确';
    setSiteErrors(local);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      await call('user', 'saveSite', {
        ...(site.siteId ? { siteId: site.siteId } : {}),
        communityId,
        name: site.name,
        address: site.address,
        lat,
        lng,
        openingHours: site.openingHours,
        contact: site.contact,
        facilities: site.facilities
          .split(/[，,、\s]+/)
          .map((f) => f.trim())
          .filter(Boolean),
      });
      Taro.showToast({ title: '服务阵地已保存', icon: 'none' });
      setSite(null);
      void load();
    } catch (err) {
      const f = fieldErrors(err);
      setSiteErrors(Object.keys(f).length ? f : { _: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const siteField = (
    key: keyof SiteForm & string,
    label: string,
    max: number,
    type: 'text' | 'digit' = 'text',
  ) =>
    site ? (
      <Field label={label} id={`site-${key}`} error={siteErrors[key]}>
        <AdminInput
          id={`site-${key}`}
          label={label}
          type={type}
          value={site[key] ?? ''}
          max={max}
          invalid={!!siteErrors[key]}
          onChange={(v) => setSite({ ...site, [key]: v })}
        />
      </Field>
    ) : null;

  if (loading) return <PageShell id="admin-community-page">{<ListSkeleton rows={2} />}</PageShell>;
  if (loadError)
    return (
      <PageShell id="admin-community-page">
        <ErrorState message={loadError} onRetry={() => void load()} />
      </PageShell>
    );

  return (
    <PageShell id="admin-community-page">
      <Text className="page-title" {...heading(1)}>
        {communityId ? '编辑社区' : '新建社区'}
      </Text>
      <View className="card">
        <Field label="社区名称" id="community-name" error={errors.name}>
          <AdminInput
            id="community-name"
            label="社区名称"
            value={name}
            max={30}
            placeholder="如：幸福里社区"
            invalid={!!errors.name}
            onChange={setName}
          />
        </Field>
        <Field label="地址" id="community-address" error={errors.address}>
          <AdminInput
            id="community-address"
            label="地址"
            value={address}
            max={100}
            placeholder="社区党群服务中心所在地址"
            invalid={!!errors.address}
            onChange={setAddress}
          />
        </Field>
        {errors._ ? (
          <Text className="form-error" id="community-error" {...roleProps('alert')}>
            {errors._}
          </Text>
        ) : null}
        <View className="admin-actions">
          <Button id="community-save" type="primary" disabled={busy} onClick={() => void save()}>
            {communityId ? '保存' : '创建社区'}
          </Button>
        </View>
      </View>

      {communityId ? (
        <View className="card" id="community-sites">
          <Text className="section-title" {...heading(2)}>
            服务阵地
          </Text>
          {sites.length === 0 ? <Text className="muted">还没有服务阵地</Text> : null}
          {sites.map((s) => (
            <View key={s._id} id={`site-${s._id}`} className="admin-row">
              <View className="admin-row__main">
                <Text className="admin-row__title">{s.name}</Text>
                <Text className="admin-row__desc">{`${s.address}${s.openingHours ? ` · ${s.openingHours}` : ''}`}</Text>
              </View>
              <Button
                id={`edit-site-${s._id}`}
                fill="outline"
                aria-label={`编辑 ${s.name}`}
                onClick={() => {
                  setSiteErrors({});
                  setSite({
                    siteId: s._id,
                    name: s.name,
                    address: s.address,
                    lat: String(s.lat),
                    lng: String(s.lng),
                    openingHours: s.openingHours,
                    facilities: s.facilities.join('，'),
                    contact: s.contact,
                  });
                }}
              >
                编辑
              </Button>
            </View>
          ))}
          {site ? (
            <View id="site-form">
              <Text className="section-title" {...heading(3)}>
                {site.siteId ? '编辑服务阵地' : '新增服务阵地'}
              </Text>
              {siteField('name', '阵地名称', 30)}
              {siteField('address', '地址', 100)}
              <View className="admin-columns">
                {siteField('lat', '纬度', 12, 'digit')}
                {siteField('lng', '经度', 12, 'digit')}
              </View>
              {siteField('openingHours', '开放时间', 50)}
              {siteField('facilities', '设施（用逗号分隔）', 200)}
              {siteField('contact', '联系电话', 50)}
              {siteErrors._ ? (
                <Text className="form-error" id="site-error" {...roleProps('alert')}>
                  {siteErrors._}
                </Text>
              ) : null}
              <View className="admin-actions">
                <Button id="site-save" type="primary" disabled={busy} onClick={() => void saveSite()}>
                  保存服务阵地
                </Button>
                <Button id="site-cancel" fill="outline" onClick={() => setSite(null)}>
                  取消
                </Button>
              </View>
            </View>
          ) : (
            <View className="admin-actions">
              <Button
                id="site-add"
                type="primary"
                fill="outline"
                onClick={() => {
                  setSiteErrors({});
                  setSite({ ...EMPTY_SITE });
                }}
              >
                新增服务阵地
              </Button>
            </View>
          )}
        </View>
      ) : null}
    </PageShell>
  );
}
