import { Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import type { DirectoryHit } from '../../../../types/branch';
import { call, errorMessage } from '../../api';
import { Field } from '../../components/Form';
import { StatusTag } from '../../components/StatusTag';
import { Button } from '../../ui';

/**
 * 党员名录 search: a name (or its first characters) or the last 4 digits of the phone; results are
 * masked (李*国 · 138****5678) and say who is already on this or another branch. For a branch's
 * roster (`branchId`) or a community (`communityId`, workers: a new branch's secretary).
 */
export function MemberSearch({
  id,
  branchId,
  communityId,
  label,
  pickText,
  busy,
  onPick,
}: {
  id: string;
  branchId?: string;
  communityId?: string;
  label: string;
  pickText: string;
  busy?: boolean;
  /** Resolves true when the pick took effect (the hit is then shown as on this branch). */
  onPick: (hit: DirectoryHit) => boolean | Promise<boolean>;
}) {
  const [q, setQ] = useState('');
  const [error, setError] = useState('');
  const [hits, setHits] = useState<DirectoryHit[] | null>(null);
  const [page, setPage] = useState(0);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);

  const search = async (next: number) => {
    const text = q.trim();
    if (!text) return setError('请输入姓名或手机号后 4 位');
    if (/^\d+$/.test(text) && text.length !== 4) return setError('按手机号查找请输入后 4 位数字');
    setLoading(true);
    try {
      const r = await call('branch', 'searchMembers', {
        ...(branchId ? { branchId } : {}),
        ...(communityId ? { communityId } : {}),
        q: text,
        page: next,
      });
      setHits((prev) => (next === 0 ? r.items : [...(prev ?? []), ...r.items]));
      setPage(next);
      setHasMore(r.hasMore);
      setError('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };

  return (
    <View id={id}>
      <Field id={`${id}-q`} label={label} error={error} hint="输入姓名（可只输姓或前几个字）或手机号后 4 位">
        <Input
          id={`${id}-q`}
          className={`form-input ${error ? 'form-invalid' : ''}`}
          value={q}
          maxlength={20}
          placeholder="如：李建 或 1234"
          aria-label={label}
          nativeProps={{ 'aria-label': label }}
          onInput={(e) => {
            setQ(e.detail.value);
            setError('');
          }}
          onConfirm={() => void search(0)}
        />
      </Field>
      <Button
        id={`${id}-submit`}
        className="block-btn"
        fill="outline"
        loading={loading}
        disabled={loading}
        onClick={() => void search(0)}
      >
        查找党员
      </Button>
      {hits && hits.length === 0 ? (
        <Text id={`${id}-none`} className="muted">
          没有找到。请确认对方已在本社区认证为党员
        </Text>
      ) : null}
      {hits?.map((h) => (
        <View key={h.openid} id={`${id}-hit-${h.openid}`} className="branch-row">
          <View>
            <Text>{h.nameMasked}</Text>
            {h.phoneMasked ? <Text className="muted"> · {h.phoneMasked}</Text> : null}
          </View>
          <View className="branch-actions">
            {h.inBranch ? (
              <StatusTag
                label={h.inBranch === 'this' ? '已在本支部' : branchId ? '已在其他支部' : '已在支部'}
                tone={h.inBranch === 'this' ? 'green' : 'grey'}
              />
            ) : null}
            <Button
              id={`${id}-pick-${h.openid}`}
              className="branch-btn"
              size="small"
              type="primary"
              disabled={busy || !!h.inBranch}
              aria-label={`${pickText}：${h.nameMasked}`}
              onClick={() =>
                void Promise.resolve(onPick(h)).then((ok) => {
                  if (ok && branchId)
                    setHits((prev) =>
                      (prev ?? []).map((x) => (x.openid === h.openid ? { ...x, inBranch: 'this' } : x)),
                    );
                })
              }
            >
              {pickText}
            </Button>
          </View>
        </View>
      ))}
      {hasMore ? (
        <Button
          id={`${id}-more`}
          className="block-btn"
          fill="none"
          disabled={loading}
          onClick={() => void search(page + 1)}
        >
          更多结果
        </Button>
      ) : null}
    </View>
  );
}
