// Choropleth classes: quantiles (equal counts) or equal intervals, and colour-blind-safe
// palettes (viridis, cividis; sampled from matplotlib's maps, dark = low, light = high).

export type ClassificationMethod = 'quantile' | 'equal_interval';
export type PaletteName = 'viridis' | 'cividis';

export const palettes: Record<PaletteName, Record<number, readonly string[]>> = {
  viridis: {
    3: ['#440154', '#21918c', '#fde725'],
    4: ['#440154', '#31688e', '#35b779', '#fde725'],
    5: ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'],
    6: ['#440154', '#414487', '#2a788e', '#22a884', '#7ad151', '#fde725'],
    7: ['#440154', '#443983', '#31688e', '#21918c', '#35b779', '#8fd744', '#fde725'],
  },
  cividis: {
    3: ['#00224e', '#7c7b78', '#fee838'],
    4: ['#00224e', '#575d6d', '#a69d75', '#fee838'],
    5: ['#00224e', '#414d6b', '#7c7b78', '#bcaf6f', '#fee838'],
    6: ['#00224e', '#35456c', '#666970', '#948e77', '#c8b866', '#fee838'],
    7: ['#00224e', '#2a3f6d', '#575d6d', '#7c7b78', '#a69d75', '#d3c164', '#fee838'],
  },
};

export const noDataColor = '#d9d9d9';

export function paletteColors(name: PaletteName, classes: number): readonly string[] {
  const byCount = palettes[name];
  const count = Math.min(7, Math.max(3, Math.round(classes)));
  return byCount[count]!;
}

/**
 * Upper bounds of the classes (the last is the maximum). Quantile breaks are taken from the
 * sorted values (type 7, as R and NumPy); equal intervals split the range evenly. Duplicate
 * breaks collapse, so a class never is empty by construction.
 */
export function classBreaks(values: readonly number[], method: ClassificationMethod, classes: number): number[] {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return [];
  const minimum = finite[0]!;
  const maximum = finite[finite.length - 1]!;
  const breaks: number[] = [];
  for (let index = 1; index <= classes; index++) {
    if (method === 'equal_interval') {
      breaks.push(minimum + ((maximum - minimum) * index) / classes);
    } else {
      const position = ((finite.length - 1) * index) / classes;
      const lower = Math.floor(position);
      const upper = Math.ceil(position);
      breaks.push(finite[lower]! + (finite[upper]! - finite[lower]!) * (position - lower));
    }
  }
  breaks[breaks.length - 1] = maximum;
  return breaks.filter((value, index) => index === 0 || value > breaks[index - 1]!);
}

/** The class of a value: the first break it does not exceed; -1 for no data. */
export function classOf(value: number | null | undefined, breaks: readonly number[]): number {
  if (value === null || value === undefined || !Number.isFinite(value) || breaks.length === 0) return -1;
  const index = breaks.findIndex((upper) => value <= upper);
  return index === -1 ? breaks.length - 1 : index;
}

export interface LegendEntry {
  color: string;
  from: number;
  to: number;
}

export function legendEntries(values: readonly number[], breaks: readonly number[], colors: readonly string[]): LegendEntry[] {
  const finite = values.filter((value) => Number.isFinite(value));
  const minimum = finite.length > 0 ? Math.min(...finite) : 0;
  return breaks.map((upper, index) => ({
    color: colorForClass(index, breaks.length, colors),
    from: index === 0 ? minimum : breaks[index - 1]!,
    to: upper,
  }));
}

/** Spreads fewer classes over the whole palette, so that the lightest colour means the top class. */
export function colorForClass(classIndex: number, classCount: number, colors: readonly string[]): string {
  if (classIndex < 0) return noDataColor;
  if (classCount <= 1) return colors[colors.length - 1]!;
  const position = Math.round((classIndex * (colors.length - 1)) / (classCount - 1));
  return colors[position]!;
}
