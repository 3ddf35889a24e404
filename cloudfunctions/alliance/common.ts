/** Loading and presenting alliance documents, shared by the action modules. */
import type { ActionName } from '../../types/api';
import type { AllianceUnit, Colleague, Community, MyUnitView, UnitView, User } from '../../types/domain';
import { byIds, collection, getAll, loadDoc, type CollectionName } from '../core/db';
import { roleKey } from '../domain/roles';
import { invalid } from '../core/errors';
import type { ActionTable } from '../core/function';
import type { Caller } from '../core/guard';
import { runtime } from '../core/runtime';

export { body, loadDoc, newId } from '../core/db';

/** A slice of the alliance action table, so each module declares its own actions. */
export type AllianceActions<A extends ActionName<'alliance'>> = Pick<ActionTable<'alliance'>, A>;

export async function loadUnit(unitId: string): Promise<AllianceUnit> {
  const unit = await loadDoc<AllianceUnit>('units', unitId, '驻区单位不存在');
  return { ...unit, adminOpenids: unit.adminOpenids ?? [], contact: unit.contact ?? '' };
}

export async function loadCommunity(communityId: string): Promise<Community> {
  return loadDoc<Community>('communities', communityId, '社区不存在');
}

export function unitView(u: AllianceUnit): UnitView {
  return {
    _id: u._id,
    name: u.name,
    type: u.type,
    address: u.address,
    partyOrg: u.partyOrg,
    contact: u.contact ?? '',
    communityIds: u.communityIds,
  };
}

/** Every user bound to the unit as staff. */
export async function staffOf(unitId: string): Promise<User[]> {
  return getAll<User>(collection('users').where({ roleKeys: roleKey('unitStaff', { unitId }) }));
}

export async function myUnitView(unit: AllianceUnit, caller: Caller): Promise<MyUnitView> {
  const staff = await staffOf(unit._id);
  const colleagues: Colleague[] = staff
    .map((u) => ({ openid: u.openid, nickName: u.nickName, isAdmin: unit.adminOpenids.includes(u.openid) }))
    .sort((a, b) => Number(b.isAdmin) - Number(a.isAdmin) || a.nickName.localeCompare(b.nickName, 'zh'));
  return { unit: unitView(unit), isAdmin: unit.adminOpenids.includes(caller.openid), colleagues };
}

export async function nickNames(openids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(openids)];
  for (let i = 0; i < unique.length; i += 100) {
    const users = await byIds<User>('users', unique.slice(i, i + 100));
    for (const [id, u] of users) out.set(id, u.nickName);
  }
  return out;
}

/** Fetch any number of documents by id, 100 per request. */
export async function manyByIds<T extends { _id: string }>(
  name: CollectionName,
  ids: string[],
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    for (const [id, doc] of await byIds<T>(name, unique.slice(i, i + 100))) out.set(id, doc);
  }
  return out;
}

export async function assertFilesOwned(photos: string[], openid: string): Promise<void> {
  const storage = runtime().storage;
  for (const id of photos) {
    if (!(await storage.ownedBy(id, openid)))
      throw invalid('图片无效或不是你上传的，请重新上传', { photos: '图片无效' });
  }
}

export async function assertCleanText(text: string, openid: string, field = 'text'): Promise<void> {
  const verdict = await runtime().contentCheck.text(text, openid);
  if (!verdict.ok) throw invalid(verdict.reason, { [field]: verdict.reason });
}
