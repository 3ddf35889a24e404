import { Picker, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { MeView } from '../../../../types/api';
import type { InviteView, Need, UnitType, UnitView } from '../../../../types/domain';
import { ApiCallError, call, errorMessage } from '../../api';
import { Choices, Field, TextArea } from '../../components/Form';
import { ListSkeleton } from '../../components/States';
import { InviteCodeDialog } from '../../components/TextDialog';
import { Button } from '../../ui';
import { keyboardActivatable, roleProps } from '../../utils/a11y';
import { UNIT_TYPES } from '../../utils/labels';
import { fromParts, toParts } from '../../utils/time';
import { TextField } from './fields';

const PROJECT_PAGE = '/packages/alliance/project';

type Errors<K extends string> = Partial<Record<K, string>>;

/** Length check with the server's wording (allianceSchemas' `text`). */
function lengthError(label: string, value: string, min: number, max: number): string | undefined {
  const n = value.trim().length;
  if (n < min) return min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`;
  if (n > max) return `${label}最多 ${max} 个字`;
  return undefined;
}

const clean = <K extends string>(e: Errors<K>): Errors<K> =>
  Object.fromEntries(Object.entries(e).filter(([, v]) => !!v)) as Errors<K>;

const NEED_CATEGORIES = ['为老服务', '儿童关爱', '环境整治', '文化教育', '法律服务', '医疗健康', '其他'].map(
  (c) => ({ value: c, label: c }),
);

/** 发布需求 → publishNeed. */
export function PublishNeedForm({ communityId }: { communityId: string }) {
  const [f, setF] = useState({ title: '', description: '', category: '其他' });
  const [errors, setErrors] = useState<Errors<'title' | 'description'>>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (busy) return;
    const e = clean({
      title: lengthError('需求标题', f.title, 2, 40),
      description: lengthError('需求说明', f.description, 1, 500),
    });
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setBusy(true);
    try {
      await call('alliance', 'publishNeed', {
        communityId,
        title: f.title.trim(),
        description: f.description.trim(),
        category: f.category,
      });
      Taro.showToast({ title: '需求已发布', icon: 'success' });
      setF({ title: '', description: '', category: '其他' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(err.fields);
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View id="publish-need">
      <Field id="need-title" label="需求标题" error={errors.title}>
        <TextField
          id="need-title"
          label="需求标题"
          value={f.title}
          max={40}
          placeholder="如：老旧小区加装扶手"
          invalid={!!errors.title}
          onChange={(v) => setF({ ...f, title: v })}
        />
      </Field>
      <Field id="need-category" label="类别">
        <Choices
          idPrefix="need-category"
          label="需求类别"
          items={NEED_CATEGORIES}
          value={f.category}
          onChange={(v) => setF({ ...f, category: v })}
        />
      </Field>
      <Field id="need-description" label="需求说明" error={errors.description} hint="谁需要、需要什么、多少">
        <TextArea
          id="need-description"
          label="需求说明"
          value={f.description}
          max={500}
          placeholder="如：3 栋 60 岁以上独居老人 12 位，楼道缺少扶手"
          onChange={(v) => setF({ ...f, description: v })}
        />
      </Field>
      <Button
        id="need-submit"
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
    </View>
  );
}

type ProjectField = 'title' | 'goal' | 'tasks' | 'wanted' | 'deadline' | 'maxClaims' | 'needIds';

/** 发布共治项目 → publishProject, then the project page. */
export function PublishProjectForm({ communityId }: { communityId: string }) {
  const [f, setF] = useState(() => ({
    title: '',
    goal: '',
    tasks: [''],
    wanted: '',
    deadline: toParts(Date.now() + 30 * 24 * 3600_000).date,
    maxClaims: '1',
    needIds: [] as string[],
  }));
  const [errors, setErrors] = useState<Errors<ProjectField>>({});
  const [busy, setBusy] = useState(false);
  const [needs, setNeeds] = useState<Need[] | null>(null);

  useEffect(() => {
    call('alliance', 'listNeeds', { communityId, status: 'open', pageSize: 50 })
      .then((r) => setNeeds(r.items))
      .catch(() => setNeeds([]));
  }, [communityId]);

  const setTask = (i: number, v: string) =>
    setF((x) => ({ ...x, tasks: x.tasks.map((t, j) => (j === i ? v : t)) }));
  const addTask = () => setF((x) => (x.tasks.length >= 20 ? x : { ...x, tasks: [...x.tasks, ''] }));
  const removeTask = (i: number) => setF((x) => ({ ...x, tasks: x.tasks.filter((_, j) => j !== i) }));
  const toggleNeed = (id: string) =>
    setF((x) => ({
      ...x,
      needIds: x.needIds.includes(id) ? x.needIds.filter((n) => n !== id) : [...x.needIds, id].slice(0, 10),
    }));

  const submit = async () => {
    if (busy) return;
    const tasks = f.tasks.map((t) => t.trim()).filter(Boolean);
    const deadline = fromParts(f.deadline, '23:59');
    const max = f.maxClaims.trim();
    const e = clean<ProjectField>({
      title: lengthError('项目名称', f.title, 2, 40),
      goal: lengthError('项目目标', f.goal, 2, 500),
      tasks:
        tasks.length === 0
          ? '请至少列出一项任务'
          : tasks.some((t) => t.length > 100)
            ? '每项任务最多 100 个字'
            : undefined,
      wanted: f.wanted.trim().length > 300 ? '所需资源最多 300 字' : undefined,
      deadline: Number.isNaN(deadline) || deadline <= Date.now() ? '截止日期要晚于今天' : undefined,
      maxClaims:
        !/^\d+$/.test(max) || Number(max) < 1
          ? '至少允许 1 个单位认领'
          : Number(max) > 20
            ? '最多 20 个单位'
            : undefined,
    });
    setErrors(e);
    if (Object.keys(e).length > 0) {
      Taro.showToast({ title: '请按提示修改后再提交', icon: 'none' });
      return;
    }
    setBusy(true);
    try {
      const d = await call('alliance', 'publishProject', {
        communityId,
        title: f.title.trim(),
        goal: f.goal.trim(),
        tasks,
        wanted: f.wanted.trim(),
        deadline,
        maxClaims: Number(max),
        needIds: f.needIds,
      });
      Taro.showToast({ title: '项目已发布', icon: 'success' });
      Taro.navigateTo({ url: `${PROJECT_PAGE}?id=${encodeURIComponent(d._id)}` });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) {
        const byField: Errors<ProjectField> = {};
        for (const [k, v] of Object.entries(err.fields)) byField[k.split('.')[0] as ProjectField] = v;
        setErrors(byField);
      }
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View id="publish-project">
      <Field id="project-title" label="项目名称" error={errors.title}>
        <TextField
          id="project-title"
          label="项目名称"
          value={f.title}
          max={40}
          placeholder="如：楼道扶手加装行动"
          invalid={!!errors.title}
          onChange={(v) => setF({ ...f, title: v })}
        />
      </Field>
      <Field id="project-goal" label="项目目标" error={errors.goal}>
        <TextArea
          id="project-goal"
          label="项目目标"
          value={f.goal}
          max={500}
          placeholder="要解决什么问题，做到什么程度"
          onChange={(v) => setF({ ...f, goal: v })}
        />
      </Field>
      <Field id="project-tasks" label="任务清单" error={errors.tasks}>
        {f.tasks.map((t, i) => (
          <View key={i} className="task-row">
            <TextField
              id={`project-task-${i}`}
              label={`任务 ${i + 1}`}
              value={t}
              max={100}
              placeholder={`任务 ${i + 1}`}
              onChange={(v) => setTask(i, v)}
            />
            {f.tasks.length > 1 ? (
              <Button
                id={`project-task-remove-${i}`}
                size="small"
                fill="outline"
                aria-label={`删除任务 ${i + 1}`}
                onClick={() => removeTask(i)}
              >
                删除
              </Button>
            ) : null}
          </View>
        ))}
        {f.tasks.length < 20 ? (
          <Text
            id="project-task-add"
            className="link-text"
            {...roleProps('button')}
            {...keyboardActivatable(addTask)}
            onClick={addTask}
          >
            + 添加任务
          </Text>
        ) : null}
      </Field>
      <Field id="project-wanted" label="所需资金与资源（可不填）" error={errors.wanted}>
        <TextArea
          id="project-wanted"
          label="所需资金与资源"
          value={f.wanted}
          max={300}
          placeholder="如：预算 2 万元；需要施工队 1 支、志愿者 10 名"
          onChange={(v) => setF({ ...f, wanted: v })}
        />
      </Field>
      <View className="form-row">
        <Field id="project-deadline" label="认领截止" error={errors.deadline}>
          <Picker
            id="project-deadline"
            mode="date"
            value={f.deadline}
            onChange={(e) => setF({ ...f, deadline: String(e.detail.value) })}
          >
            <View
              className={`form-picker ${errors.deadline ? 'form-invalid' : ''}`}
              aria-label={`认领截止日期：${f.deadline}`}
              {...roleProps('button')}
            >
              <Text>{f.deadline}</Text>
            </View>
          </Picker>
        </Field>
        <Field id="project-max-claims" label="可认领单位数" error={errors.maxClaims}>
          <TextField
            id="project-max-claims"
            label="可认领单位数"
            type="number"
            value={f.maxClaims}
            max={2}
            invalid={!!errors.maxClaims}
            onChange={(v) => setF({ ...f, maxClaims: v })}
          />
        </Field>
      </View>
      <Field id="project-needs" label="关联需求（可多选）" error={errors.needIds}>
        {needs === null ? (
          <ListSkeleton rows={1} />
        ) : needs.length === 0 ? (
          <Text className="muted">暂无待认领的需求</Text>
        ) : (
          <Choices
            idPrefix="project-need"
            label="关联需求"
            items={needs.map((n) => ({ value: n._id, label: n.title }))}
            value={f.needIds}
            onChange={toggleNeed}
          />
        )}
      </Field>
      <Button
        id="project-submit"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void submit()}
      >
        发布项目
      </Button>
    </View>
  );
}

type UnitField = 'name' | 'type' | 'address' | 'partyOrg' | 'contact' | 'communityIds';

/** Communities a worker may ally a unit with: where they are a worker (admins: all). */
function manageable(me: MeView): { value: string; label: string }[] {
  const admin = me.user.roles.some((r) => r.role === 'admin');
  return me.communities
    .filter((c) => admin || me.user.roles.some((r) => r.role === 'worker' && r.communityId === c._id))
    .map((c) => ({ value: c._id, label: c.name }));
}

/** 登记驻区单位 → registerUnit, then an admin invite for it. */
export function RegisterUnitForm({ me, communityId }: { me: MeView; communityId: string }) {
  const empty = () => ({
    name: '',
    type: '' as UnitType | '',
    address: '',
    partyOrg: '',
    contact: '',
    communityIds: communityId ? [communityId] : ([] as string[]),
  });
  const [f, setF] = useState(empty);
  const [errors, setErrors] = useState<Errors<UnitField>>({});
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<UnitView | null>(null);
  const [invite, setInvite] = useState<InviteView | null>(null);

  const submit = async () => {
    if (busy) return;
    const e = clean<UnitField>({
      name: lengthError('单位名称', f.name, 2, 40),
      type: f.type ? undefined : '请选择单位类型',
      address: lengthError('地址', f.address, 1, 100),
      partyOrg: lengthError('党组织名称', f.partyOrg, 2, 60),
      contact: lengthError('联系方式', f.contact, 1, 60),
      communityIds: f.communityIds.length === 0 ? '请至少选择一个共建社区' : undefined,
    });
    setErrors(e);
    if (Object.keys(e).length > 0 || !f.type) return;
    setBusy(true);
    try {
      const u = await call('alliance', 'registerUnit', {
        name: f.name.trim(),
        type: f.type,
        address: f.address.trim(),
        partyOrg: f.partyOrg.trim(),
        contact: f.contact.trim(),
        communityIds: f.communityIds,
      });
      setCreated(u);
      setF(empty());
      Taro.showToast({ title: '已登记', icon: 'success' });
    } catch (err) {
      if (err instanceof ApiCallError && err.fields) setErrors(err.fields);
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const issueAdminInvite = async (u: UnitView) => {
    setBusy(true);
    try {
      setInvite(await call('alliance', 'issueInvite', { unitId: u._id, asAdmin: true }));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  const field = (
    key: Exclude<UnitField, 'type' | 'communityIds'>,
    label: string,
    max: number,
    placeholder: string,
  ) => (
    <Field id={`unit-${key}`} label={label} error={errors[key]}>
      <TextField
        id={`unit-${key}`}
        label={label}
        value={f[key]}
        max={max}
        placeholder={placeholder}
        invalid={!!errors[key]}
        onChange={(v) => setF({ ...f, [key]: v })}
      />
    </Field>
  );

  return (
    <View id="register-unit">
      {created ? (
        <View className="card" id="register-done" {...roleProps('status')}>
          <Text className="alliance-card__title">已登记「{created.name}」</Text>
          <Text className="form-hint">
            发一个单位管理员邀请码给对方联系人，绑定后即可认领项目、发布资源。
          </Text>
          <View className="alliance-card__actions">
            <Button
              id="register-invite"
              type="primary"
              disabled={busy}
              onClick={() => void issueAdminInvite(created)}
            >
              发放管理员邀请码
            </Button>
          </View>
        </View>
      ) : null}
      {field('name', '单位名称', 40, '如：区人民医院')}
      <Field id="unit-type" label="单位类型" error={errors.type}>
        <Choices
          idPrefix="unit-type"
          label="单位类型"
          items={UNIT_TYPES}
          value={f.type}
          onChange={(v) => setF({ ...f, type: v })}
        />
      </Field>
      {field('address', '地址', 100, '如：幸福路 100 号')}
      {field('partyOrg', '党组织名称', 60, '如：区人民医院党委')}
      {field('contact', '联系方式', 60, '如：王老师 021-12345678')}
      <Field id="unit-communities" label="共建社区" error={errors.communityIds}>
        <Choices
          idPrefix="unit-community"
          label="共建社区"
          items={manageable(me)}
          value={f.communityIds}
          onChange={(id) =>
            setF({
              ...f,
              communityIds: f.communityIds.includes(id)
                ? f.communityIds.filter((c) => c !== id)
                : [...f.communityIds, id],
            })
          }
        />
      </Field>
      <Button
        id="register-submit"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void submit()}
      >
        登记单位
      </Button>
      {invite ? (
        <InviteCodeDialog
          code={invite.code}
          unitName={invite.unitName}
          asAdmin={invite.asAdmin}
          expiresAt={invite.expiresAt}
          onClose={() => setInvite(null)}
        />
      ) : null}
    </View>
  );
}

/** 发放邀请码: pick an allied unit and whether the redeemer becomes its admin. */
export function IssueInvitePanel({ communityId }: { communityId: string }) {
  const [units, setUnits] = useState<UnitView[] | null>(null);
  const [unitId, setUnitId] = useState('');
  const [role, setRole] = useState<'staff' | 'admin'>('staff');
  const [busy, setBusy] = useState(false);
  const [invite, setInvite] = useState<InviteView | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    call('alliance', 'listUnits', { communityId })
      .then((r) => setUnits(r.units))
      .catch(() => setUnits([]));
  }, [communityId]);

  const issue = async () => {
    if (busy) return;
    if (!unitId) {
      setError('请选择单位');
      return;
    }
    setBusy(true);
    try {
      setInvite(await call('alliance', 'issueInvite', { unitId, asAdmin: role === 'admin' }));
    } catch (err) {
      Taro.showToast({ title: errorMessage(err), icon: 'none', duration: 2500 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View id="issue-invite">
      <Field id="invite-unit" label="驻区单位" error={error}>
        {units === null ? (
          <ListSkeleton rows={1} />
        ) : units.length === 0 ? (
          <Text className="muted">还没有共建单位，请先登记</Text>
        ) : (
          <Choices
            idPrefix="invite-unit"
            label="驻区单位"
            items={units.map((u) => ({ value: u._id, label: u.name }))}
            value={unitId}
            onChange={(v) => {
              setUnitId(v);
              setError('');
            }}
          />
        )}
      </Field>
      <Field id="invite-role" label="对方身份" hint="单位管理员可以再邀请同事、移除同事">
        <Choices
          idPrefix="invite-role"
          label="对方身份"
          items={[
            { value: 'staff', label: '工作人员' },
            { value: 'admin', label: '单位管理员' },
          ]}
          value={role}
          onChange={setRole}
        />
      </Field>
      <Button
        id="invite-issue"
        className="block-btn"
        type="primary"
        size="large"
        block
        loading={busy}
        disabled={busy}
        onClick={() => void issue()}
      >
        生成邀请码
      </Button>
      {invite ? (
        <InviteCodeDialog
          code={invite.code}
          unitName={invite.unitName}
          asAdmin={invite.asAdmin}
          expiresAt={invite.expiresAt}
          onClose={() => setInvite(null)}
        />
      ) : null}
    </View>
  );
}
