import { describe, expect, it } from 'vitest';
import { uplinksTo } from './interface-templates.js';
import { composeSite, MIN_STRUCTURED_SITE, REGISTRATION_ORDER, SWITCH_PORTS } from './site-composition.js';

const total = (c: ReturnType<typeof composeSite>) => REGISTRATION_ORDER.reduce((s, t) => s + c[t], 0);

describe('composeSite', () => {
  it('composes exactly the requested number of resources, never a negative count', () => {
    for (let size = 1; size <= 3_000; size++) {
      const c = composeSite(size);
      expect(total(c)).toBe(size);
      for (const t of REGISTRATION_ORDER) expect(c[t]).toBeGreaterThanOrEqual(0);
    }
  });

  it('gives structured sites a core and hosts for their guests, and enough access ports', () => {
    for (let size = MIN_STRUCTURED_SITE; size <= 2_000; size += 13) {
      const c = composeSite(size);
      for (const t of [
        'router',
        'firewall',
        'layer3_switch',
        'switch',
        'hypervisor',
        'container_host',
      ] as const) {
        expect(c[t]).toBeGreaterThanOrEqual(1);
      }
      const accessDemand = REGISTRATION_ORDER.reduce((s, t) => s + c[t] * uplinksTo(t, 'access'), 0);
      expect(c.switch * SWITCH_PORTS).toBeGreaterThanOrEqual(accessDemand);
    }
  });

  it('is mostly VMs, containers and servers, with realistic proportions', () => {
    const c = composeSite(250);
    const workloads = c.virtual_machine + c.container + c.physical_server + c.hypervisor + c.container_host;
    expect(workloads / 250).toBeGreaterThan(0.75);
    expect(c.virtual_machine).toBeGreaterThan(c.container);
    expect(c.container).toBeGreaterThan(c.physical_server);
    expect(c.router).toBe(2);
  });
});
