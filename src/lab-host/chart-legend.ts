/**
 * A chart's key, in HTML above its canvas. Chart.js draws its legend in the canvas on one line
 * per entry: on a phone a long label ran off both edges and wrapped labels overlapped. Text in
 * the page wraps to any width, a screen reader reads it, and each entry is a button that shows
 * or hides its series from the keyboard. The PNG of a chart has the key drawn under the plot.
 */
import { drawPoint, toFont } from 'chart.js/helpers';
import type { ChartDataset, PointStyle } from 'chart.js';
import { Chart } from 'chart.js';

/** One entry of the key: how its series is drawn on the plot. */
export interface LegendEntry {
  label: string;
  color: string;
  /** A line (dashed for a formula, solid for a dense simulated curve), or a marker's shape. */
  mark: { dash: number[] } | { marker: PointStyle; hollow: boolean };
  hidden: boolean;
}

type LineDataset = ChartDataset<'line', unknown[]>;

/** The entry that describes how `dataset` is drawn (see seriesDatasets in charts.ts). */
export function legendEntry(dataset: LineDataset): LegendEntry {
  const color = String(dataset.borderColor);
  const mark: LegendEntry['mark'] =
    dataset.showLine !== false
      ? { dash: Array.isArray(dataset.borderDash) ? dataset.borderDash.map(Number) : [] }
      : { marker: dataset.pointStyle as PointStyle, hollow: dataset.pointBackgroundColor === 'transparent' };
  return { label: dataset.label ?? '', color, mark, hidden: dataset.hidden === true };
}

const MARK_WIDTH = 22;
const MARK_HEIGHT = 12;

/** Draws an entry's mark, `width` wide, centred on `y`: the line or marker the plot draws. */
function drawMark(context: CanvasRenderingContext2D, entry: LegendEntry, x: number, y: number, width: number): void {
  context.save();
  context.strokeStyle = entry.color;
  context.fillStyle = entry.color;
  context.lineWidth = 2;
  if ('dash' in entry.mark) {
    context.setLineDash(entry.mark.dash);
    context.beginPath();
    context.moveTo(x, y);
    context.lineTo(x + width, y);
    context.stroke();
  } else {
    if (entry.mark.hollow) context.fillStyle = 'transparent';
    drawPoint(context, { pointStyle: entry.mark.marker, radius: 4.5, rotation: 0, borderWidth: 2 }, x + width / 2, y);
  }
  context.restore();
}

/**
 * Fills `list` with one button per entry, pressed while its series is shown. `toggle(index)`
 * shows or hides a series and says whether it is shown now. When the entries are the ones
 * listed already (another run of the same lab), the buttons stay, so focus is not lost.
 */
export function renderLegend(list: HTMLElement, entries: readonly LegendEntry[], toggle: (index: number) => boolean): void {
  const button = (index: number) => list.children[index]?.firstElementChild as HTMLButtonElement | undefined;
  const signature = JSON.stringify(entries.map(({ label, color, mark }) => [label, color, mark]));
  if (list.dataset['entries'] !== signature) {
    list.dataset['entries'] = signature;
    list.replaceChildren(...entries.map((entry, index) => legendItem(entry, () => setPressed(button(index), toggle(index)))));
  }
  entries.forEach((entry, index) => setPressed(button(index), !entry.hidden));
}

function setPressed(button: HTMLButtonElement | undefined, shown: boolean): void {
  if (!button) return;
  button.setAttribute('aria-pressed', String(shown));
  button.title = shown ? 'Hide this series' : 'Show this series';
}

function legendItem(entry: LegendEntry, onClick: () => void): HTMLLIElement {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'lab-legend-entry';
  const text = document.createElement('span');
  text.textContent = entry.label;
  button.append(markSvg(entry), text);
  button.addEventListener('click', onClick);
  item.append(button);
  return item;
}

const SVG = 'http://www.w3.org/2000/svg';

/** SVG shapes of Chart.js's point styles the charts use, centred in the mark's box. */
const SHAPES: Partial<Record<string, (cx: number, cy: number) => { tag: string; attributes: Record<string, string> }>> = {
  circle: (cx, cy) => ({ tag: 'circle', attributes: { cx: `${cx}`, cy: `${cy}`, r: '4.5' } }),
  rect: (cx, cy) => ({ tag: 'rect', attributes: { x: `${cx - 4}`, y: `${cy - 4}`, width: '8', height: '8' } }),
  triangle: (cx, cy) => ({ tag: 'polygon', attributes: { points: `${cx},${cy - 4.5} ${cx + 5},${cy + 4} ${cx - 5},${cy + 4}` } }),
  rectRot: (cx, cy) => ({ tag: 'polygon', attributes: { points: `${cx},${cy - 5} ${cx + 5},${cy} ${cx},${cy + 5} ${cx - 5},${cy}` } }),
  crossRot: (cx, cy) => ({ tag: 'path', attributes: { d: `M${cx - 3.5} ${cy - 3.5}l7 7m0 -7l-7 7` } }),
  star: (cx, cy) => ({ tag: 'path', attributes: { d: `M${cx - 3.5} ${cy - 3.5}l7 7m0 -7l-7 7M${cx} ${cy - 5}v10M${cx - 5} ${cy}h10` } }),
};

/**
 * The entry's mark as a small SVG: the plot's line or marker. SVG, not a canvas of its own
 * (a figure's one canvas is its plot), and built in a fraction of the time of an image.
 */
function markSvg(entry: LegendEntry): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'lab-legend-mark');
  svg.setAttribute('viewBox', `0 0 ${MARK_WIDTH} ${MARK_HEIGHT}`);
  svg.setAttribute('aria-hidden', 'true');
  const cy = MARK_HEIGHT / 2;
  let shape: { tag: string; attributes: Record<string, string> };
  if ('dash' in entry.mark) {
    shape = { tag: 'line', attributes: { x1: '2', y1: `${cy}`, x2: `${MARK_WIDTH - 2}`, y2: `${cy}` } };
    if (entry.mark.dash.length > 0) shape.attributes['stroke-dasharray'] = entry.mark.dash.join(' ');
  } else {
    shape = (SHAPES[entry.mark.marker as string] ?? SHAPES['circle']!)(MARK_WIDTH / 2, cy);
    shape.attributes['fill'] = entry.mark.hollow ? 'none' : entry.color;
  }
  const element = document.createElementNS(SVG, shape.tag);
  for (const [name, value] of Object.entries({ ...shape.attributes, stroke: entry.color, 'stroke-width': '2' }))
    element.setAttribute(name, value);
  svg.append(element);
  return svg;
}

/** `text` broken into lines no wider than `width` in the context's font. */
function wrap(context: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && context.measureText(`${last} ${word}`).width <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * A copy of `chart` (a canvas) with its key drawn underneath, on `background`: what the reader
 * saves as a PNG. Hidden series are left out, as they are from the plot.
 */
export function withLegend(
  chart: HTMLCanvasElement,
  entries: readonly LegendEntry[],
  colors: { text: string; background: string },
): HTMLCanvasElement {
  const scale = chart.width / (chart.clientWidth || chart.width);
  const shown = entries.filter((entry) => !entry.hidden);
  const copy = document.createElement('canvas');
  const context = copy.getContext('2d');
  if (!context) return chart;
  const font = toFont(Chart.defaults.font);
  const lineHeight = font.lineHeight;
  const padding = 10;
  const textStart = padding + MARK_WIDTH + 6;
  const cssWidth = chart.width / scale;
  context.font = font.string;
  const rows = shown.map((entry) => ({ entry, lines: wrap(context, entry.label, cssWidth - textStart - padding) }));
  const legendHeight = rows.reduce((height, row) => height + row.lines.length * lineHeight + 4, padding);
  copy.width = chart.width;
  copy.height = chart.height + Math.ceil(legendHeight * scale);
  context.fillStyle = colors.background;
  context.fillRect(0, 0, copy.width, copy.height);
  context.drawImage(chart, 0, 0);
  context.scale(scale, scale);
  // Sizing the canvas reset its context: the font is set again.
  context.font = font.string;
  context.textBaseline = 'middle';
  let y = chart.height / scale + padding / 2;
  for (const { entry, lines } of rows) {
    drawMark(context, entry, padding, y + lineHeight / 2, MARK_WIDTH);
    context.fillStyle = colors.text;
    for (const line of lines) {
      context.fillText(line, textStart, y + lineHeight / 2);
      y += lineHeight;
    }
    y += 4;
  }
  return copy;
}
