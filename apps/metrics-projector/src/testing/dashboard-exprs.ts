/**
 * Every PromQL expression of the provisioned Grafana dashboards, with Grafana's variables replaced
 * by values Prometheus accepts, so tests can run them. Test fixture only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DashboardExpr {
  dashboard: string;
  where: string;
  expr: string;
}

/** Grafana's built-in and template variables → stand-ins (template variables select all). */
const substitute = (expr: string): string =>
  expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__interval', '15s')
    .replaceAll('$__range', '5m')
    .replace(/\$\{?[A-Za-z_]\w*\}?/g, '.*');

/** `label_values(metric, label)` is Grafana's, not PromQL: its PromQL equivalent. */
const variableQuery = (query: string): string => {
  const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query.trim());
  return m ? `count by (${m[2]}) (${m[1]})` : query;
};

interface Panel {
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}

/** Reads every dashboard JSON in `dir` and returns its panel targets and variable queries. */
export const dashboardExprs = async (dir: string): Promise<DashboardExpr[]> => {
  const out: DashboardExpr[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const dashboard = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
      panels?: Panel[];
      templating?: { list?: { name: string; query?: string | { query?: string } }[] };
    };
    const visit = (panels: Panel[] = []) => {
      for (const p of panels) {
        for (const t of p.targets ?? [])
          if (t.expr) out.push({ dashboard: file, where: `${p.title} ${t.refId}`, expr: substitute(t.expr) });
        visit(p.panels);
      }
    };
    visit(dashboard.panels);
    for (const v of dashboard.templating?.list ?? []) {
      const query = typeof v.query === 'string' ? v.query : v.query?.query;
      if (query) out.push({ dashboard: file, where: `variable ${v.name}`, expr: variableQuery(query) });
    }
  }
  return out;
};
