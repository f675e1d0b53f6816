// Renders the conceptual space of a generated fleet to SVG. From the repo root:
//   node --conditions=@cim/source --import tsx apps/conceptual-space-projector/src/render-main.ts [out.svg] [resources] [seed]
// Defaults: apps/conceptual-space-projector/docs/space.svg, 1500 resources (20 events each), seed 42.
import { writeFile } from 'node:fs/promises';
import { fleetSpace } from './fleet-space.js';
import { renderSpaceSvg } from './plot.js';

const out = process.argv[2] ?? 'apps/conceptual-space-projector/docs/space.svg';
const resources = Number(process.argv[3] ?? 1_500);
const seed = Number(process.argv[4] ?? 42);
const view = fleetSpace({ resources, events: resources * 20, seed });
await writeFile(
  out,
  renderSpaceSvg(view, {
    title: `Conceptual space of a generated fleet (${resources} resources, seed ${seed})`,
  }),
);
console.log(`wrote ${out}: ${view.live.length} resources, ${view.anomalies(0).count} anomalies`);
