// Scales and paths for the small inline-SVG time-series charts (no chart library needed).

export type ChartPoint = { x: number; y: number };

export type ChartFrame = { width: number; height: number; left: number; right: number; top: number; bottom: number };

export function niceMaximum(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value) ?? 10;
  return step * magnitude;
}

export function scaleLinear(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** An SVG path through the points (M first, L after), coordinates rounded to 0.1 px. */
export function linePath(points: readonly ChartPoint[], x: (value: number) => number, y: (value: number) => number): string {
  return points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${Math.round(x(point.x) * 10) / 10},${Math.round(y(point.y) * 10) / 10}`)
    .join(' ');
}

export function yearOf(period: string): number {
  return Number(period.slice(0, 4));
}
