// Five equal-interval classes of a goal's figure over its areas, in viridis (readable for every
// kind of colour vision and in greyscale print, as the coverage map). Areas without a value are grey.

const viridis = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'] as const;
export const noValueColor = '#d9d9d9';

export interface ChoroplethClasses {
  entries: { color: string; from: number; to: number }[];
  colorOf(value: number): string;
}

export function choroplethClasses(values: readonly number[]): ChoroplethClasses {
  if (values.length === 0) return { entries: [], colorOf: () => noValueColor };
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (high === low) return { entries: [{ color: viridis[2], from: low, to: high }], colorOf: () => viridis[2] };
  const step = (high - low) / viridis.length;
  const entries = viridis.map((color, index) => ({ color, from: low + index * step, to: index === viridis.length - 1 ? high : low + (index + 1) * step }));
  return {
    entries,
    colorOf: (value) => viridis[Math.min(viridis.length - 1, Math.max(0, Math.floor((value - low) / step)))]!,
  };
}
