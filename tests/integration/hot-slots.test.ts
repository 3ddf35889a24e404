/**
 * Transactions of one instance on the same hot document run one at a time (the rest wait in line
 * instead of aborting each other); other keys are not held up, and every one still runs. Race
 * tests lift the queue (`setHotSlots`) to play many instances.
 */
import { setHotSlots, transaction } from '../../cloudfunctions/core/db';
import { createHarness, type Harness } from '../helpers/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seed: false });
});
afterAll(() => h.close());

it('runs one transaction per hot key at once, in arrival order, and all of them', async () => {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const work = (i: number, key: string) =>
    transaction(
      async (t) => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await t.set('counters', `hot-${key}-${i}`, { i });
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
        return i;
      },
      { hot: key },
    );
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => work(i, 'a')));
  expect(results).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(most).toBe(1);
  expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  // Two keys: each gets its own slot.
  running = 0;
  most = 0;
  await Promise.all([
    ...Array.from({ length: 4 }, (_, i) => work(10 + i, 'b')),
    ...Array.from({ length: 4 }, (_, i) => work(20 + i, 'c')),
  ]);
  expect(most).toBe(2);
});

it('passes the slot on once the commit is sent: the next one works meanwhile and does not conflict', async () => {
  const events: string[] = [];
  let attempts = 0;
  const bump = (i: number) =>
    transaction(
      async (t) => {
        attempts += 1;
        events.push(`start ${i}`);
        const counter = await t.get<{ n: number }>('counters', 'hot-shared');
        await t.set('counters', 'hot-shared', { n: (counter?.n ?? 0) + 1 });
      },
      { hot: 'shared' },
    ).then(() => events.push(`done ${i}`));
  await Promise.all(Array.from({ length: 6 }, (_, i) => bump(i)));
  // Each next transaction started before the previous call had its commit answered...
  for (let i = 1; i < 6; i++)
    expect(events.indexOf(`start ${i}`)).toBeLessThan(events.indexOf(`done ${i - 1}`));
  // ...yet read the previous commit: no conflict, no retry, no lost increment.
  expect(attempts).toBe(6);
  const { data } = await h.rt.runtime.db.collection('counters').doc('hot-shared').get();
  expect((data as { n: number }[])[0]?.n).toBe(6);
});

it('lets a race test lift the queue to play many instances', async () => {
  const previous = setHotSlots(Number.POSITIVE_INFINITY);
  try {
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        transaction(
          async (t) => {
            running += 1;
            most = Math.max(most, running);
            await t.set('counters', `lifted-${i}`, { i });
            await new Promise((r) => setTimeout(r, 5));
            running -= 1;
          },
          { hot: 'd' },
        ),
      ),
    );
    expect(most).toBe(4);
  } finally {
    setHotSlots(previous);
  }
});
