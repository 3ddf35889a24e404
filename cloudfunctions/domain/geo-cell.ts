/**
 * Coarse geo cells for "near me" lists: a geohash prefix of GEO_CELL_PRECISION characters (5: a
 * cell of 0.0439° × 0.0439°, about 4.9 km north–south and 4.9 km × cos(latitude) east–west — about
 * 4.3 km in 长沙). A document stores the cell of its point; a list queries the caller's cell and its
 * 8 neighbours with an indexed `in` and sorts what it finds by distance. The 3 × 3 block holds
 * every point within one cell's size of the caller (`coveredRadiusM`: 4.3 km in 长沙, 3.4 km in
 * 哈尔滨), so nothing that near is ever missed, however many farther or newer documents exist.
 * Pure functions.
 */
import type { LatLng } from './volunteer';

export const GEO_CELL_PRECISION = 5;
const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz';

/** The geohash of a point (`precision` characters; 5 bits each, longitude first). */
export function geohash(lat: number, lng: number, precision = GEO_CELL_PRECISION): string {
  let latLo = -90;
  let latHi = 90;
  let lngLo = -180;
  let lngHi = 180;
  let out = '';
  let bits = 0;
  let n = 0;
  let even = true;
  while (out.length < precision) {
    if (even) {
      const mid = (lngLo + lngHi) / 2;
      if (lng >= mid) {
        n = n * 2 + 1;
        lngLo = mid;
      } else {
        n *= 2;
        lngHi = mid;
      }
    } else {
      const mid = (latLo + latHi) / 2;
      if (lat >= mid) {
        n = n * 2 + 1;
        latLo = mid;
      } else {
        n *= 2;
        latHi = mid;
      }
    }
    even = !even;
    if (++bits === 5) {
      out += BASE32[n];
      bits = 0;
      n = 0;
    }
  }
  return out;
}

/** A cell's size in degrees (height, width) at `precision`. */
export function cellSize(precision = GEO_CELL_PRECISION): { lat: number; lng: number } {
  const total = precision * 5;
  const lngBits = Math.ceil(total / 2);
  const latBits = Math.floor(total / 2);
  return { lat: 180 / 2 ** latBits, lng: 360 / 2 ** lngBits };
}

/** The box of a cell: its south-west corner (the cell of `p` snapped to the grid). */
function cellCorner(p: LatLng, precision: number): LatLng {
  const size = cellSize(precision);
  return {
    lat: Math.floor((p.lat + 90) / size.lat) * size.lat - 90,
    lng: Math.floor((p.lng + 180) / size.lng) * size.lng - 180,
  };
}

/**
 * The cell of `p` and its (up to) 8 neighbours, own cell first. Longitude wraps at ±180°; rows
 * beyond a pole are left out.
 */
export function cellsAround(p: LatLng, precision = GEO_CELL_PRECISION): string[] {
  const size = cellSize(precision);
  const corner = cellCorner(p, precision);
  const centre = { lat: corner.lat + size.lat / 2, lng: corner.lng + size.lng / 2 };
  const out = [geohash(p.lat, p.lng, precision)];
  for (const dy of [-1, 0, 1]) {
    const lat = centre.lat + dy * size.lat;
    if (lat <= -90 || lat >= 90) continue;
    for (const dx of [-1, 0, 1]) {
      if (!dx && !dy) continue;
      let lng = centre.lng + dx * size.lng;
      if (lng >= 180) lng -= 360;
      if (lng < -180) lng += 360;
      const cell = geohash(lat, lng, precision);
      if (!out.includes(cell)) out.push(cell);
    }
  }
  return out;
}

const M_PER_DEGREE = 111_195; // the mean Earth radius (6,371 km) × π / 180

/** The distance around `lat` within which every point lies in `cellsAround` (one cell's size). */
export function coveredRadiusM(lat: number, precision = GEO_CELL_PRECISION): number {
  const size = cellSize(precision);
  return Math.min(size.lat, size.lng * Math.cos((Math.abs(lat) * Math.PI) / 180)) * M_PER_DEGREE;
}

/** Whether a stored point is a real location (the app sends 0, 0 when it has none). */
export const hasLocation = (p: LatLng) => !(p.lat === 0 && p.lng === 0);

/** The cell a document stores for its point, or undefined without a location. */
export const geoCellOf = (p: LatLng): string | undefined =>
  hasLocation(p) ? geohash(p.lat, p.lng) : undefined;
