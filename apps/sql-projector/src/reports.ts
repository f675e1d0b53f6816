import { isUuidV7 } from '@cim/contract';
import { SqlProjectorError } from './errors.js';
import type { ReadModel } from './read-model.js';

/** Optional filters a report may take (each report says which it reads). */
export interface ReportParams {
  /** `history`: the resource, by id or hostname. */
  resource?: string;
  /** `ip-usage`, `connections`, `software-placement`: only this site. */
  site?: string;
  /** `software-placement`: only this software name. */
  software?: string;
}

/** One result row: plain JSON values (timestamps as ISO strings). */
export type ReportRow = Record<string, string | number | boolean | null>;

/** A report: reads the live model and returns rows ready to print or serialise. */
export type ReportQuery = (model: ReadModel, params?: ReportParams) => Promise<ReportRow[]>;

const plain = (rows: readonly object[]): ReportRow[] =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        v instanceof Date ? v.toISOString() : (v as ReportRow[string]),
      ]),
    ),
  );

const inventory: ReportQuery = async ({ db }) =>
  plain(
    await db
      .selectFrom('inventory_summary')
      .selectAll()
      .orderBy('category')
      .orderBy('resource_type')
      .orderBy('status')
      .execute(),
  );

const ipUsage: ReportQuery = async ({ db }, params = {}) => {
  let query = db.selectFrom('ip_usage').selectAll().orderBy('site').orderBy('cidr');
  if (params.site) query = query.where('site', '=', params.site);
  const rows = await query.execute();
  return plain(rows.map((r) => ({ ...r, utilization: r.size > 0 ? r.used_addresses / r.size : 0 })));
};

const connections: ReportQuery = async ({ db }, params = {}) => {
  let query = db
    .selectFrom('resource_connections')
    .selectAll()
    .orderBy('active_connections', 'desc')
    .orderBy('hostname');
  if (params.site) query = query.where('site', '=', params.site);
  return plain(await query.execute());
};

const orphanedInterfaces: ReportQuery = async ({ db }) =>
  plain(
    await db.selectFrom('orphaned_interfaces').selectAll().orderBy('hostname').orderBy('interface').execute(),
  );

const software: ReportQuery = async ({ db }) =>
  plain(await db.selectFrom('software_inventory').selectAll().orderBy('name').orderBy('version').execute());

const softwarePlacement: ReportQuery = async ({ db }, params = {}) => {
  let query = db
    .selectFrom('software_placement')
    .selectAll()
    .orderBy('name')
    .orderBy('version')
    .orderBy('hostname');
  if (params.software) query = query.where('name', '=', params.software);
  if (params.site) query = query.where('site', '=', params.site);
  return plain(await query.execute());
};

const policyCoverage: ReportQuery = async ({ db }) =>
  plain(await db.selectFrom('policy_coverage').selectAll().orderBy('kind').execute());

/** Resolves a hostname (the most recently registered holder) or id to a resource id. */
const resourceId = async ({ db }: ReadModel, resource: string): Promise<string> => {
  const row = await db
    .selectFrom('compute_resources')
    .select('id')
    .where(
      isUuidV7(resource) ? 'id' : 'hostname',
      '=',
      isUuidV7(resource) ? resource : resource.toLowerCase(),
    )
    .orderBy('registered_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) throw new SqlProjectorError('UNKNOWN_RESOURCE', `no resource '${resource}' in the read model`);
  return row.id;
};

/**
 * Change history of one resource, oldest first: its own events and those of its software,
 * connections and policies, each with correlation and causation ("who changed what, caused by what").
 */
export const resourceHistory: ReportQuery = async (model, params = {}) => {
  if (!params.resource)
    throw new SqlProjectorError('INVALID_OPTIONS', 'the history report needs a resource (id or hostname)');
  const id = await resourceId(model, params.resource);
  const rows = await model.db
    .selectFrom('resource_history')
    .selectAll()
    .where('resource_id', '=', id)
    .orderBy('sequence')
    .execute();
  return plain(rows.map((r) => ({ ...r, sequence: Number(r.sequence) })));
};

/** Every report by the name `cim report <name>` takes. */
export const REPORTS = {
  inventory,
  'ip-usage': ipUsage,
  connections,
  'orphaned-interfaces': orphanedInterfaces,
  software,
  'software-placement': softwarePlacement,
  'policy-coverage': policyCoverage,
  history: resourceHistory,
} as const satisfies Record<string, ReportQuery>;

export type ReportName = keyof typeof REPORTS;

/** One line per report, for `cim report --help`. */
export const REPORT_DESCRIPTIONS: Readonly<Record<ReportName, string>> = {
  inventory: 'resources by category, type and status',
  'ip-usage': 'per active network: addresses in use by live resources vs. CIDR size (--site)',
  connections: 'per live resource: active and severed connections (--site)',
  'orphaned-interfaces': 'interfaces of live resources without an active connection (loopbacks excluded)',
  software: 'installed software by name, version and kind, with installation and resource counts',
  'software-placement': 'where each installed software runs (--software, --site)',
  'policy-coverage': 'per policy kind (and any): live resources covered and not covered by active policies',
  history: 'every event that touched one resource, with correlation and causation (--resource id|hostname)',
};

export const isReportName = (name: string): name is ReportName => Object.hasOwn(REPORTS, name);

/** Runs a report by name; `UNKNOWN_REPORT` lists the known names. */
export const runReport = (model: ReadModel, name: string, params?: ReportParams): Promise<ReportRow[]> => {
  if (!isReportName(name))
    throw new SqlProjectorError(
      'UNKNOWN_REPORT',
      `unknown report '${name}' (known: ${Object.keys(REPORTS).join(', ')})`,
    );
  return REPORTS[name](model, params);
};
