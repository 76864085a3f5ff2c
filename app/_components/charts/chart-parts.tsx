import { ReferenceLine } from "recharts";
import { boundPhrase, type Direction } from "@/server/domain/requirements/wording";

/**
 * The requirement's bound ("at least" a floor, "at most" a ceiling) drawn across a chart. A function returning the element rather than a
 * component, so recharts sees a ReferenceLine among its direct children.
 */
export function floorLine(floor: number | null, fmt: (v: number) => string, direction: Direction | null = null) {
  if (floor === null) return null;
  return (
    <ReferenceLine
      y={floor}
      stroke="#dc2626"
      strokeDasharray="6 3"
      label={{ value: boundPhrase(direction, fmt(floor)), position: "insideTopRight", fill: "#b91c1c", fontSize: 11 }}
      ifOverflow="extendDomain"
    />
  );
}

/** Numbers on axes and in tooltips: three decimals for rates and scores, one for larger values. */
export const axisNumber = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3));

/**
 * Tooltip formatter for a line with an interval band: a band's value arrives as [low, high].
 * `bandLabel` names bands (e.g. "95% interval"); without it the series' own name is used.
 */
export function intervalTooltip(fmt: (v: number) => string, bandLabel?: string) {
  return (value: unknown, name: unknown): [string, string] =>
    Array.isArray(value)
      ? [`${fmt(Number(value[0]))} – ${fmt(Number(value[1]))}`, bandLabel ?? String(name)]
      : [fmt(Number(value)), String(name)];
}
