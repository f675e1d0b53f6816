/** Where the deploy folders are, from this package's source. Test fixture only. */
import { fileURLToPath } from 'node:url';

export const PROMETHEUS_DEPLOY_DIR = fileURLToPath(
  new URL('../../../../deploy/prometheus/', import.meta.url),
);
export const GRAFANA_DASHBOARDS_DIR = fileURLToPath(
  new URL('../../../../deploy/grafana/dashboards/', import.meta.url),
);
