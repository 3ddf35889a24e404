/**
 * Demo points mall (积分超市) for 幸福里社区: a handful of everyday goods, one with a single item
 * left, written directly as documents (no images). Called by the seed on a first start.
 */
import type { Goods } from '../../types/domain';
import type { LocalRuntime } from './local-runtime';

const COMMUNITY = 'community-xingfuli';

const DEMO_GOODS: Pick<Goods, '_id' | 'name' | 'description' | 'price' | 'stock'>[] = [
  // Within reach after one 2-hour service (1 point per hour by default).
  { _id: 'goods-xfl-bag', name: '环保购物袋', description: '可折叠环保购物袋一个', price: 2, stock: 50 },
  { _id: 'goods-xfl-detergent', name: '洗衣液', description: '2 kg 装洗衣液一瓶', price: 30, stock: 20 },
  { _id: 'goods-xfl-towel', name: '纯棉毛巾', description: '纯棉毛巾一条，颜色随机', price: 15, stock: 40 },
  {
    _id: 'goods-xfl-haircut',
    name: '理发券',
    description: '社区便民理发点理发一次，凭券使用',
    price: 20,
    stock: 15,
  },
  { _id: 'goods-xfl-rice', name: '东北大米', description: '5 kg 装大米一袋', price: 50, stock: 10 },
  {
    _id: 'goods-xfl-thermos',
    name: '保温杯',
    description: '不锈钢保温杯一个（仅剩 1 个）',
    price: 40,
    stock: 1,
  },
];

export async function seedDemoMall(rt: LocalRuntime): Promise<void> {
  const db = rt.runtime.db;
  const now = rt.runtime.now();
  for (const [i, g] of DEMO_GOODS.entries()) {
    const { _id, ...rest } = g;
    const doc: Omit<Goods, '_id'> = {
      ...rest,
      communityId: COMMUNITY,
      redeemedCount: 0,
      onSale: true,
      createdBy: 'demo-worker',
      // Listed newest first: keep the order above.
      createdAt: now - i * 60_000,
      updatedAt: now - i * 60_000,
    };
    await db.collection('goods').doc(_id).set(doc);
  }
}
