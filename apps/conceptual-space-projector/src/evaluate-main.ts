// Evaluates classification and anomaly detection. From the repo root:
//   node --conditions=@cim/source --import tsx apps/conceptual-space-projector/src/evaluate-main.ts [--seed 42] [--resources 3000] [--json]
import { parseArgs } from 'node:util';
import { evaluate } from './evaluation.js';
import { formatEvaluation } from './evaluation-format.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '42' },
    resources: { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
  },
});
const report = evaluate({ seed: Number(values.seed), resources: Number(values.resources) });
console.log(values.json ? JSON.stringify(report, null, 2) : formatEvaluation(report));
