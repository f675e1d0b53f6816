import type { PayloadInputOf } from '@cim/contract';
import type { Prng } from './prng.js';
import type { TelemetryClass } from './resource-profiles.js';
import type { AnomalyKind } from './site-plan.js';

/**
 * The normal operating point of one resource; measurements scatter around it. A class with every
 * field set in the constructor, so all instances share one hidden class (object spreads made the hot
 * measurement path several times slower).
 */
export class Telemetry {
  /** Measurements taken so far (a leaking resource gets worse with each). */
  samples = 0;

  constructor(
    readonly cls: TelemetryClass,
    readonly cpu: number,
    readonly memory: number,
    readonly disk: number,
    readonly throughputMbps: number,
    readonly iops: number,
    readonly latencyMs: number,
    readonly errorRate: number,
    /** Last boot; uptime is measured from it and reset by reboots. */
    public bootMs: number,
  ) {}
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A plausible operating point for a resource of class `cls` with the given link bandwidth. */
export const telemetryFor = (
  cls: TelemetryClass,
  bandwidthMbps: number,
  nowMs: number,
  prng: Prng,
): Telemetry => {
  const bootMs = nowMs - prng.int(HOUR_MS, 180 * DAY_MS);
  const throughput = bandwidthMbps * prng.between(0.01, cls === 'network' ? 0.3 : 0.15);
  const r = (min: number, max: number) => prng.between(min, max);
  switch (cls) {
    case 'workload':
      return new Telemetry(
        cls,
        r(0.05, 0.6),
        r(0.2, 0.8),
        r(0.1, 0.7),
        throughput,
        r(50, 5_000),
        r(0.5, 20),
        r(1e-4, 5e-3),
        bootMs,
      );
    case 'network':
      return new Telemetry(
        cls,
        r(0.05, 0.4),
        r(0.2, 0.6),
        0,
        throughput,
        0,
        r(0.05, 2),
        r(1e-5, 1e-3),
        bootMs,
      );
    case 'storage':
      return new Telemetry(
        cls,
        r(0.1, 0.5),
        r(0.3, 0.8),
        r(0.3, 0.85),
        throughput,
        r(5_000, 200_000),
        r(0.2, 5),
        r(1e-5, 5e-4),
        bootMs,
      );
    case 'facility':
      return new Telemetry(cls, r(0.02, 0.2), 0, 0, throughput, 0, r(1, 50), r(1e-5, 1e-3), bootMs);
  }
};

const ratio = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 10_000) / 10_000;
const amount = (x: number) => Math.round(Math.max(0, x) * 100) / 100;

/**
 * One measurement of a resource at `nowMs`: its operating point with daily load swing and noise, or,
 * for a planted anomaly, strikingly off in the way its kind says. Fields follow its telemetry class
 * (a PDU reports no disk usage) and are rounded as an agent would report them.
 */
export const measurement = (
  t: Telemetry,
  anomaly: AnomalyKind | undefined,
  nowMs: number,
  iso: string,
  prng: Prng,
): PayloadInputOf<'ComputeMeasured'> => {
  t.samples++;
  const load = 1 + 0.35 * Math.sin(2 * Math.PI * ((nowMs % DAY_MS) / DAY_MS - 0.375));
  let cpu = t.cpu * load + 0.04 * prng.noise();
  let memory = t.memory + 0.02 * prng.noise();
  let errorRate = t.errorRate * (1 + 0.5 * prng.noise());
  let latency = t.latencyMs * (1 + 0.6 * cpu * cpu * cpu) * (1 + 0.2 * prng.noise());
  let variance = latency * (0.05 + 0.1 * prng.next());
  switch (anomaly) {
    case 'cpu_saturation':
      cpu = 0.96 + 0.04 * prng.next();
      memory = Math.max(memory, 0.85 + 0.1 * prng.next());
      latency *= 6 + 4 * prng.next();
      variance *= 20;
      break;
    case 'error_storm':
      errorRate = prng.between(0.08, 0.4);
      latency *= 2;
      break;
    case 'latency_spike':
      latency *= prng.between(25, 60);
      // Erratic as well as slow: the spread is of the order of the latency itself.
      variance = latency * prng.between(1, 3);
      break;
    case 'memory_leak':
      memory = Math.min(0.995, 0.8 + 0.004 * t.samples);
      break;
    case 'flapping':
      t.bootMs = nowMs - prng.int(30_000, 900_000);
      errorRate = prng.between(0.02, 0.08);
      break;
  }
  const uptime = Math.max(0, Math.floor((nowMs - t.bootMs) / 1000));
  const throughput = amount(t.throughputMbps * load * (1 + 0.2 * prng.noise()));
  switch (t.cls) {
    case 'workload':
    case 'storage':
      return {
        cpu_utilization: ratio(cpu),
        memory_utilization: ratio(memory),
        disk_utilization: ratio(t.disk + 0.01 * prng.noise()),
        network_throughput_mbps: throughput,
        disk_iops: Math.round(t.iops * load * (1 + 0.3 * prng.noise())),
        uptime_seconds: uptime,
        error_rate: ratio(errorRate),
        latency_ms: amount(latency),
        latency_variance: amount(variance),
        measured_at: iso,
      };
    case 'network':
      return {
        cpu_utilization: ratio(cpu),
        memory_utilization: ratio(memory),
        network_throughput_mbps: throughput,
        uptime_seconds: uptime,
        error_rate: ratio(errorRate),
        latency_ms: amount(latency),
        latency_variance: amount(variance),
        measured_at: iso,
      };
    case 'facility':
      return {
        cpu_utilization: ratio(cpu),
        uptime_seconds: uptime,
        error_rate: ratio(errorRate),
        latency_ms: amount(latency),
        measured_at: iso,
      };
  }
};
