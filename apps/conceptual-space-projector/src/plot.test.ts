import { describe, expect, it } from 'vitest';
import { fleetSpace } from './fleet-space.js';
import { renderSpaceSvg } from './plot.js';
import { escapeXml } from './plot-layout.js';

describe('renderSpaceSvg', () => {
  const view = fleetSpace({ resources: 300, events: 6_000, seed: 4 });
  const svg = renderSpaceSvg(view, { title: 'Test <fleet>' });

  it('is a standalone SVG with a Voronoi cell and a legend row per concept', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    for (const c of view.config.concepts) {
      expect(svg).toContain(`fill="${c.color}" fill-opacity="0.13"`);
      expect(svg).toContain(`>${escapeXml(c.label)} (`);
    }
    expect(svg).toContain('Test &lt;fleet&gt;');
    expect(svg).toContain('PC 1 (');
  });

  it('draws every live resource (small fleets) and rings each anomaly', () => {
    const anomalies = view.anomalies(1e6).count;
    expect(svg.match(/stroke="#d00000" stroke-width="1.8"\/>/g)?.length).toBe(anomalies + 1); // + legend
    expect(svg.match(/<circle /g)?.length).toBe(view.live.length + anomalies + 1);
  });

  it('says so instead of plotting an empty space', () => {
    const empty = fleetSpace({ resources: 1, events: 0, seed: 1 });
    expect(renderSpaceSvg(empty)).toContain('Too few resources to plot (0)');
  });
});
