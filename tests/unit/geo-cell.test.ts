import {
  cellSize,
  cellsAround,
  coveredRadiusM,
  geoCellOf,
  geohash,
  GEO_CELL_PRECISION,
} from '../../cloudfunctions/domain/geo-cell';
import { distanceMeters, type LatLng } from '../../cloudfunctions/domain/volunteer';

/** A small deterministic PRNG, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The point `m` metres from `p` towards `bearing` (radians; on a sphere of the same radius). */
function move(p: LatLng, m: number, bearing: number): LatLng {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const d = m / R;
  const lat1 = p.lat * rad;
  const lng1 = p.lng * rad;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
  const lng2 =
    lng1 +
    Math.atan2(
      Math.sin(bearing) * Math.sin(d) * Math.cos(lat1),
      Math.cos(d) - Math.sin(lat1) * Math.sin(lat2),
    );
  return { lat: lat2 / rad, lng: ((lng2 / rad + 540) % 360) - 180 };
}

describe('geohash', () => {
  it('matches published geohashes', () => {
    expect(geohash(57.64911, 10.40744, 11)).toBe('u4pruydqqvj');
    expect(geohash(-25.382708, -49.265506, 8)).toBe('6gkzwgjz');
    expect(geohash(57.64911, 10.40744)).toBe('u4pru');
    expect(geohash(0, 0)).toBe('s0000');
    expect(GEO_CELL_PRECISION).toBe(5);
  });

  it('cells of precision 5 are about 5 km', () => {
    expect(cellSize()).toEqual({ lat: 180 / 4096, lng: 360 / 8192 });
    expect(coveredRadiusM(0)).toBeCloseTo(4887, -1);
    expect(coveredRadiusM(28.19)).toBeGreaterThan(4200); // 长沙
    expect(coveredRadiusM(45.8)).toBeGreaterThan(3300); // 哈尔滨
  });

  it('no location (0, 0 from the app) has no cell', () => {
    expect(geoCellOf({ lat: 0, lng: 0 })).toBeUndefined();
    expect(geoCellOf({ lat: 28.1941, lng: 112.9823 })).toBe(geohash(28.1941, 112.9823));
  });
});

describe('cellsAround', () => {
  it('is the own cell first and its 8 neighbours, each adjacent', () => {
    const p = { lat: 28.1941, lng: 112.9823 };
    const cells = cellsAround(p);
    expect(cells).toHaveLength(9);
    expect(new Set(cells).size).toBe(9);
    expect(cells[0]).toBe(geohash(p.lat, p.lng));
    // Each neighbour holds a point one cell away in one of the 8 directions.
    const size = cellSize();
    for (const dy of [-1, 0, 1])
      for (const dx of [-1, 0, 1])
        expect(cells).toContain(geohash(p.lat + dy * size.lat, p.lng + dx * size.lng));
  });

  it('every point within coveredRadiusM is in the block, wherever the caller stands in the cell', () => {
    const next = rng(20261204);
    for (let i = 0; i < 3000; i++) {
      // Callers across China (18°–53°N, 73°–135°E), targets up to the covered radius away.
      const from = { lat: 18 + next() * 35, lng: 73 + next() * 62 };
      const radius = coveredRadiusM(from.lat);
      const to = move(from, next() * radius * 0.999, next() * 2 * Math.PI);
      expect(distanceMeters(from, to)).toBeLessThanOrEqual(radius);
      const cells = cellsAround(from);
      if (!cells.includes(geohash(to.lat, to.lng))) {
        throw new Error(
          `${JSON.stringify(to)} (${geohash(to.lat, to.lng)}) not around ${JSON.stringify(from)}`,
        );
      }
    }
  });

  it('points beyond two cells are outside the block', () => {
    const p = { lat: 28.1941, lng: 112.9823 };
    const size = cellSize();
    const cells = cellsAround(p);
    expect(cells).not.toContain(geohash(p.lat + 2.01 * size.lat, p.lng));
    expect(cells).not.toContain(geohash(p.lat, p.lng - 2.01 * size.lng));
  });

  it('wraps at the antimeridian and stops at the poles', () => {
    const east = cellsAround({ lat: 10, lng: 179.99 });
    expect(east).toHaveLength(9);
    expect(east).toContain(geohash(10, -179.99));
    const north = cellsAround({ lat: 89.99, lng: 10 });
    expect(north).toHaveLength(6);
  });
});
