/**
 * 党员责任区 routing (issue 16): which area's member answers for a grievance, found from the
 * buildings named in its place or text. A building counts only as a whole name ("3栋" is not
 * found in "13栋"); longer names are tried first.
 */
export interface AreaLike {
  buildings: string[];
  memberOpenid: string;
  memberName: string;
}

export function areaFor<A extends AreaLike>(
  text: string,
  areas: A[],
): { area: A; building: string } | undefined {
  const names = areas
    .flatMap((area) => area.buildings.map((building) => ({ area, building })))
    .sort((x, y) => y.building.length - x.building.length);
  for (const n of names) {
    for (let at = text.indexOf(n.building); at >= 0; at = text.indexOf(n.building, at + 1)) {
      const before = at > 0 ? text[at - 1]! : '';
      if (!/[0-9０-９A-Za-z]/.test(before)) return n;
    }
  }
  return undefined;
}
