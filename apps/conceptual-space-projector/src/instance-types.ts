import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { QualityKey } from './domains.js';

/** One published size of a real instance type, appliance or container task, with its label. */
export const InstanceType = z.object({
  vendor: z.string(),
  family: z.string(),
  name: z.string(),
  /** Hardware threads (cloud vCPUs); null when the vendor publishes none. */
  vcpu: z.number().positive().nullable(),
  memory_gib: z.number().positive().nullable(),
  network_gbps: z.number().positive().nullable(),
  /** True when the network figure is an "up to" burst rate. */
  network_burst: z.boolean().optional(),
  storage_gb: z.number().positive().optional(),
  connection_limit: z.number().positive().optional(),
  /** The concept it is an instance of. */
  label: z.string(),
  /** The vendor page the figures come from. */
  source: z.url(),
  note: z.string().optional(),
});
export type InstanceType = z.infer<typeof InstanceType>;

const InstanceTypeFile = z.object({ description: z.string(), entries: z.array(InstanceType).min(1) });

/** The labelled set shipped in `data/instance-types.json`, validated. */
export const loadInstanceTypes = (
  url: URL = new URL('../data/instance-types.json', import.meta.url),
): InstanceType[] => InstanceTypeFile.parse(JSON.parse(readFileSync(url, 'utf8'))).entries;

/** The qualities an instance type's published figures give, in catalog units. */
export const instanceQualities = (t: InstanceType): Partial<Record<QualityKey, number>> => ({
  ...(t.vcpu !== null && { cpu_cores: t.vcpu }),
  ...(t.memory_gib !== null && { memory_mb: t.memory_gib * 1024 }),
  ...(t.network_gbps !== null && { network_bandwidth_mbps: t.network_gbps * 1000 }),
  ...(t.storage_gb !== undefined && { storage_gb: t.storage_gb }),
  ...(t.connection_limit !== undefined && { connection_limit: t.connection_limit }),
});
