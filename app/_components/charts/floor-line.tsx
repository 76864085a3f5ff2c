import { ReferenceLine } from "recharts";

/**
 * The requirement's floor drawn across a chart. A function returning the element rather than a
 * component, so recharts sees a ReferenceLine among its direct children.
 */
export function floorLine(floor: number | null, fmt: (v: number) => string) {
  if (floor === null) return null;
  return (
    <ReferenceLine
      y={floor}
      stroke="#dc2626"
      strokeDasharray="6 3"
      label={{ value: `floor ${fmt(floor)}`, position: "insideTopRight", fill: "#b91c1c", fontSize: 11 }}
      ifOverflow="extendDomain"
    />
  );
}
