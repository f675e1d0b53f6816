export { type BenchContext, PROJECTORS, type ProjectorSpec } from './bench-context.js';
export { type BenchReport, TARGETS, toMarkdown, writeReport } from './report.js';
export { type BenchOptions, defaultBenchOptions, runBench } from './run-bench.js';
