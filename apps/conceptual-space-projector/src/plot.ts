import { Delaunay } from 'd3-delaunay';
import { PCA } from 'ml-pca';
import { quantile, sortedFinite } from './anomalies.js';
import { escapeXml, placeLabels, px, scale } from './plot-layout.js';
import type { SpaceView } from './space-view.js';

export interface PlotOptions {
  /** @default 1100 */
  width?: number;
  /** @default 780 */
  height?: number;
  /** Most resources drawn (anomalies always are); the rest are sampled evenly. @default 3000 */
  maxPoints?: number;
  /** @default 'Conceptual space of the infrastructure' */
  title?: string;
  /** Anomalies labelled with their host name. @default 6 */
  labelAnomalies?: number;
}

/**
 * Rows for the projection: z-scores with missing dimensions at 0 (the fleet mean), each column scaled
 * by the square root of its share of the metric's weight, so the plane favours what distance favours.
 */
const weightedRows = (view: SpaceView, points: readonly ArrayLike<number>[]): number[][] => {
  const { dimensions, domains } = view.config;
  const domainTotal = domains.reduce((s, d) => s + d.weight, 0);
  const w = dimensions.map((dim) => {
    const d = domains[dim.domain]!;
    let inDomain = 0;
    for (let i = d.start; i < d.end; i++) inDomain += dimensions[i]!.weight;
    return Math.sqrt((d.weight / domainTotal) * (dim.weight / inDomain));
  });
  return points.map((p) => w.map((wi, i) => (Number.isNaN(p[i]) ? 0 : p[i]! * wi)));
};

/**
 * A standalone SVG of the space: resources and prototypes projected on the first two principal
 * components of the (weighted) z-scores, the Voronoi cells of the prototypes in that plane, resources
 * coloured by their nearest concept, anomalies ringed in red, and a legend.
 */
export const renderSpaceSvg = (view: SpaceView, options: PlotOptions = {}): string => {
  const width = options.width ?? 1100;
  const height = options.height ?? 780;
  const maxPoints = options.maxPoints ?? 3000;
  const concepts = view.config.concepts;
  const anomalous = new Set(view.anomalies(Number.MAX_SAFE_INTEGER).anomalies.map((a) => view.indexOf(a.id)));
  const step = Math.max(1, view.live.length / maxPoints);
  const chosen: number[] = [];
  for (let i = 0, next = 0; i < view.live.length; i++) {
    if (anomalous.has(i) || i >= next) chosen.push(i);
    if (i >= next) next += step;
  }
  const plot = { x: 50, y: 64, w: width - 50 - 300, h: height - 64 - 56 };
  const title = escapeXml(options.title ?? 'Conceptual space of the infrastructure');
  const header = `<title>${title}</title>
<rect width="${width}" height="${height}" fill="#ffffff"/>
<text x="${plot.x}" y="34" font-size="20" font-weight="600">${title}</text>`;
  if (chosen.length < 3) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">${header}<text x="${plot.x}" y="${plot.y + 30}" font-size="14">Too few resources to plot (${view.live.length}).</text></svg>`;
  }
  const rows = weightedRows(
    view,
    chosen.map((i) => view.z[i]!),
  );
  const pca = new PCA(rows, { center: true, scale: false });
  const explained = pca.getExplainedVariance();
  const project = (r: number[][]) => pca.predict(r, { nComponents: 2 }).to2DArray() as [number, number][];
  const pts = project(rows);
  const protos = project(
    weightedRows(
      view,
      view.prototypes.map((p) => p.z),
    ),
  );
  // Frame the bulk of the fleet, every prototype and every anomaly; only stray normal points may be
  // clamped to the border.
  const framed = pts.filter((_, j) => anomalous.has(chosen[j]!));
  const xs = sortedFinite(pts.map((p) => p[0]));
  const ys = sortedFinite(pts.map((p) => p[1]));
  const extra = [...protos, ...framed];
  const pad = (lo: number, hi: number) => [lo - 0.08 * (hi - lo || 1), hi + 0.08 * (hi - lo || 1)] as const;
  const [x0, x1] = pad(
    Math.min(quantile(xs, 0.005), ...extra.map((p) => p[0])),
    Math.max(quantile(xs, 0.995), ...extra.map((p) => p[0])),
  );
  const [y0, y1] = pad(
    Math.min(quantile(ys, 0.005), ...extra.map((p) => p[1])),
    Math.max(quantile(ys, 0.995), ...extra.map((p) => p[1])),
  );
  const sx = scale(x0, x1, plot.x, plot.x + plot.w);
  const sy = scale(y0, y1, plot.y + plot.h, plot.y);
  const protoPx = protos.map(([x, y]) => [sx(x), sy(y)] as [number, number]);
  const voronoi = Delaunay.from(protoPx).voronoi([plot.x, plot.y, plot.x + plot.w, plot.y + plot.h]);
  const cells = concepts
    .map(
      (c, k) =>
        `<path d="${voronoi.renderCell(k)}" fill="${c.color}" fill-opacity="0.13" stroke="#7a7a7a" stroke-width="1"/>`,
    )
    .join('\n');
  const color = (i: number) => (view.nearest[i]! >= 0 ? concepts[view.nearest[i]!]!.color : '#000000');
  const dots = chosen
    .map((i, j) =>
      anomalous.has(i)
        ? ''
        : `<circle cx="${px(sx(pts[j]![0]))}" cy="${px(sy(pts[j]![1]))}" r="2.3" fill="${color(i)}" fill-opacity="0.8"/>`,
    )
    .join('');
  const rings = chosen
    .map((i, j) =>
      anomalous.has(i)
        ? `<circle cx="${px(sx(pts[j]![0]))}" cy="${px(sy(pts[j]![1]))}" r="3" fill="${color(i)}"/><circle cx="${px(sx(pts[j]![0]))}" cy="${px(sy(pts[j]![1]))}" r="6.5" fill="none" stroke="#d00000" stroke-width="1.8"/>`
        : '',
    )
    .join('');
  const bounds = { x: plot.x, y: plot.y, w: plot.w, h: plot.h };
  const diamonds = protoPx
    .map(
      ([x, y], k) =>
        `<path d="M${px(x)} ${px(y - 8)}L${px(x + 8)} ${px(y)}L${px(x)} ${px(y + 8)}L${px(x - 8)} ${px(y)}Z" fill="${concepts[k]!.color}" stroke="#1a1a1a" stroke-width="1.6"/>`,
    )
    .join('');
  const taken = protoPx.map(([x, y]) => ({ x: x - 8, y: y - 8, w: 16, h: 16 }));
  const protoLabels = placeLabels(
    concepts.map((c, k) => ({ text: c.label, x: protoPx[k]![0], y: protoPx[k]![1], size: 13 })),
    bounds,
    taken,
  );
  const top = view.anomalies(options.labelAnomalies ?? 6).anomalies;
  const anomalyPoints = top.map((a) => {
    const j = chosen.indexOf(view.indexOf(a.id));
    return { text: a.hostname.split('.')[0]!, x: sx(pts[j]![0]), y: sy(pts[j]![1]), size: 11 };
  });
  const anomalyLabels = placeLabels(anomalyPoints, bounds, taken);
  const halo = 'paint-order="stroke" stroke="#ffffff" stroke-width="3.5" stroke-linejoin="round"';
  const labels = [
    ...protoLabels.map(
      (p, k) =>
        `<text x="${px(p.x)}" y="${px(p.y)}" text-anchor="${p.anchor}" font-size="13" font-weight="600" ${halo}>${escapeXml(concepts[k]!.label)}</text>`,
    ),
    ...anomalyLabels.map(
      (p, k) =>
        `<text x="${px(p.x)}" y="${px(p.y)}" text-anchor="${p.anchor}" font-size="11" fill="#a00000" ${halo}>${escapeXml(anomalyPoints[k]!.text)}</text>`,
    ),
  ].join('\n');
  const counts = concepts.map((_, k) => chosen.filter((i) => view.nearest[i] === k).length);
  const lx = plot.x + plot.w + 28;
  const legendRows = concepts
    .map(
      (c, k) =>
        `<rect x="${lx}" y="${plot.y + 30 + k * 24}" width="14" height="14" fill="${c.color}" stroke="#555"/><text x="${lx + 22}" y="${plot.y + 42 + k * 24}" font-size="13">${escapeXml(c.label)} (${counts[k]})</text>`,
    )
    .join('\n');
  const ly = plot.y + 30 + concepts.length * 24 + 16;
  const pc = (i: number) => `${Math.round((explained[i] ?? 0) * 100)}%`;
  const notes = [
    `${view.live.length} resources${chosen.length < view.live.length ? ` (${chosen.length} drawn)` : ''}`,
    `${anomalous.size} anomalies: distance to the`,
    `nearest prototype > ${view.threshold.value.toFixed(2)}`,
    `Axes: principal components 1 and 2`,
    `of the weighted z-scores (${pc(0)} + ${pc(1)}`,
    `of the variance). Cells: Voronoi`,
    `regions of the prototypes in this plane.`,
  ];
  const legend = `<text x="${lx}" y="${plot.y + 14}" font-size="14" font-weight="600">Nearest concept</text>
${legendRows}
<path d="M${lx + 7} ${ly - 8}L${lx + 15} ${ly}L${lx + 7} ${ly + 8}L${lx - 1} ${ly}Z" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.6"/><text x="${lx + 22}" y="${ly + 5}" font-size="13">prototype</text>
<circle cx="${lx + 7}" cy="${ly + 26}" r="6.5" fill="none" stroke="#d00000" stroke-width="1.8"/><text x="${lx + 22}" y="${ly + 31}" font-size="13">anomaly</text>
${notes.map((n, i) => `<text x="${lx}" y="${ly + 64 + i * 18}" font-size="12" fill="#444">${escapeXml(n)}</text>`).join('\n')}`;
  const axes = `<rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}" fill="none" stroke="#333"/>
<text x="${plot.x + plot.w / 2}" y="${plot.y + plot.h + 30}" text-anchor="middle" font-size="13">PC 1 (${pc(0)})</text>
<text x="${plot.x - 16}" y="${plot.y + plot.h / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 ${plot.x - 16} ${plot.y + plot.h / 2})">PC 2 (${pc(1)})</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif">
${header}
<g clip-path="url(#plot)"><clipPath id="plot"><rect x="${plot.x}" y="${plot.y}" width="${plot.w}" height="${plot.h}"/></clipPath>
${cells}
<g>${dots}</g>
<g>${rings}</g>
${diamonds}
</g>
${labels}
${axes}
${legend}
</svg>
`;
};
