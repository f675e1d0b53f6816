import type { ReadModel } from './read-model.js';

export interface TopologyOptions {
  /** Only resources and networks of this site. */
  site?: string;
  /** Draw active networks and which resources have addresses in them. @default true */
  networks?: boolean;
}

/** Mermaid-safe label text: quotes and angle brackets become entity codes. */
const label = (text: string): string =>
  text.replaceAll('"', '#quot;').replaceAll('<', '#lt;').replaceAll('>', '#gt;');

const nodeId = (prefix: string, uuid: string) => `${prefix}_${uuid.replaceAll('-', '')}`;

/**
 * The live topology as a Mermaid flowchart: live resources grouped by site, active connections as
 * solid edges labelled with the interfaces they join, and (optionally) active networks with dotted
 * edges to the resources addressed in them. Output is sorted, so equal models give equal text.
 */
export const topologyMermaid = async ({ db }: ReadModel, options: TopologyOptions = {}): Promise<string> => {
  let resourceQuery = db
    .selectFrom('compute_resources')
    .select(['id', 'hostname', 'resource_type', 'site'])
    .where('status', '<>', 'decommissioned')
    .orderBy('site')
    .orderBy('hostname');
  if (options.site) resourceQuery = resourceQuery.where('site', '=', options.site);
  const resources = await resourceQuery.execute();
  const shown = new Set(resources.map((r) => r.id));

  const links = (
    await db
      .selectFrom('connections')
      .select(['id', 'a_resource_id', 'a_interface', 'b_resource_id', 'b_interface', 'medium'])
      .where('status', '=', 'active')
      .orderBy('id')
      .execute()
  ).filter((c) => shown.has(c.a_resource_id) && shown.has(c.b_resource_id));

  const withNetworks = options.networks ?? true;
  let networkQuery = db
    .selectFrom('networks')
    .select(['id', 'name', 'cidr', 'vlan_id', 'site'])
    .where('status', '=', 'active')
    .orderBy('cidr')
    .orderBy('id');
  if (options.site) networkQuery = networkQuery.where('site', '=', options.site);
  const networks = withNetworks ? await networkQuery.execute() : [];
  const drawn = new Set(networks.map((n) => n.id));
  const memberships = withNetworks
    ? (
        await db
          .selectFrom('interface_addresses')
          .select(['resource_id', 'network_id'])
          .distinct()
          .where('network_id', 'is not', null)
          .orderBy('resource_id')
          .orderBy('network_id')
          .execute()
      ).filter((m) => shown.has(m.resource_id) && m.network_id !== null && drawn.has(m.network_id))
    : [];

  const lines = ['flowchart LR'];
  const sites = [...new Set([...resources.map((r) => r.site), ...networks.map((n) => n.site)])].sort((a, b) =>
    String(a ?? '').localeCompare(String(b ?? '')),
  );
  sites.forEach((site, i) => {
    const indent = site === null ? '  ' : '    ';
    if (site !== null) lines.push(`  subgraph site_${i}["${label(site)}"]`);
    for (const r of resources.filter((x) => x.site === site))
      lines.push(`${indent}${nodeId('r', r.id)}["${label(r.hostname)}<br/>${label(r.resource_type)}"]`);
    for (const n of networks.filter((x) => x.site === site)) {
      const vlan = n.vlan_id === null ? '' : ` · VLAN ${n.vlan_id}`;
      lines.push(`${indent}${nodeId('n', n.id)}{{"${label(n.name)}<br/>${label(n.cidr)}${vlan}"}}`);
    }
    if (site !== null) lines.push('  end');
  });
  for (const c of links) {
    const text = label(`${c.a_interface} ↔ ${c.b_interface} (${c.medium})`);
    lines.push(`  ${nodeId('r', c.a_resource_id)} ---|"${text}"| ${nodeId('r', c.b_resource_id)}`);
  }
  for (const m of memberships)
    lines.push(`  ${nodeId('r', m.resource_id)} -.- ${nodeId('n', m.network_id!)}`);
  return `${lines.join('\n')}\n`;
};
