import { createEvent, type InfrastructureEvent, newId, rootIdentity } from '@cim/contract';
import type { Facts, InstalledSoftware, ListeningService } from './facts.js';
import { PENDING_RESOURCE_ID, type PlannedCommand } from './planned-command.js';
import { StateFold } from './state-fold.js';

/** Recorded facts of a small Debian web server (written by hand, shaped like collectFacts output). */
export function webServerFacts(): Facts {
  return {
    collectedAt: '2025-03-01T12:00:00.000Z',
    hostname: 'Web-01',
    platform: {
      resourceType: 'virtual_machine',
      decidedBy: 'si.system().virtual (KVM)',
      host: 'KVM',
      evidence: ['decided by: si.system().virtual (KVM)'],
    },
    cpu: { cores: 4, model: 'AMD EPYC', speedGhz: 2.4 },
    memoryMb: 8192,
    storage: { totalGb: 100, source: 'block-devices' },
    os: {
      distro: 'Debian GNU/Linux',
      release: '12',
      codename: 'bookworm',
      kernel: '6.1.0-18-amd64',
      arch: 'x64',
    },
    interfaces: [
      {
        name: 'eth0',
        mac: 'AA:BB:CC:00:00:01',
        ips: ['10.0.1.5/24', '2001:0db8:0001::5/64'],
        kind: 'ethernet',
        speedMbps: 1000,
        operstate: 'up',
      },
    ],
    defaultGateway: '10.0.1.1',
    services: [
      service(22, 'sshd', 'openssh-server'),
      service(80, 'nginx', 'nginx'),
      service(443, 'nginx', 'nginx'),
      { ...service(41_234, 'node', 'nodejs'), ephemeral: true },
    ],
    software: [
      dpkg('curl', '7.88.1-10'),
      dpkg('dpkg', '1.21.22'),
      dpkg('libc6', '2.36-9'),
      dpkg('nginx', '1.22.1-9'),
      dpkg('nodejs', '18.19.0'),
      dpkg('openssh-server', '1:9.2p1-2'),
      { manager: 'npm', name: 'typescript', version: '5.4.0' },
    ],
    softwareManagers: [
      { manager: 'dpkg', available: true, count: 6 },
      { manager: 'npm', available: true, count: 1 },
    ],
    utilization: {
      cpu: 0.25,
      memory: 0.5,
      disk: 0.3,
      networkMbps: 12.5,
      uptimeSeconds: 3600,
      sampleMs: 1000,
    },
  };
}

function dpkg(name: string, version: string): InstalledSoftware {
  return { manager: 'dpkg', name, version };
}

function service(port: number, process: string, pkg: string): ListeningService {
  return {
    protocol: 'tcp',
    address: '0.0.0.0',
    port,
    pid: 1000 + port,
    process,
    executable: `/usr/sbin/${process}`,
    package: { manager: 'dpkg', name: pkg },
    ephemeral: false,
  };
}

/**
 * Turns planned commands into the events the command service would append (new ids for created
 * aggregates) and folds them, so a test can plan again against the state the first plan produced.
 */
export function applyPlan(fold: StateFold, planned: readonly PlannedCommand[]): InfrastructureEvent[] {
  let resourceId: string | undefined;
  const versions = new Map<string, number>();
  const events: InfrastructureEvent[] = [];
  const emit = (type: InfrastructureEvent['event_type'], id: string, payload: object) => {
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    const commandId = newId();
    const event = createEvent(type, {
      aggregate_id: id,
      aggregate_version: version,
      identity: rootIdentity(commandId),
      payload: payload as never,
    }) as InfrastructureEvent;
    fold.apply(event);
    events.push(event);
  };
  for (const c of planned) {
    const p = { ...(c.payload as Record<string, unknown>) };
    if (p.resource_id === PENDING_RESOURCE_ID) p.resource_id = resourceId;
    switch (c.name) {
      case 'compute.register':
        resourceId = newId();
        emit('ComputeRegistered', resourceId, p);
        break;
      case 'compute.update': {
        const { resource_id, ...rest } = p;
        emit('ComputeUpdated', resource_id as string, rest);
        break;
      }
      case 'compute.record-measurement': {
        const { resource_id, ...rest } = p;
        emit('ComputeMeasured', resource_id as string, rest);
        break;
      }
      case 'network.define':
        emit('NetworkDefined', newId(), p);
        break;
      case 'software.configure': {
        const { software_id, ...rest } = p;
        emit('SoftwareConfigured', (software_id as string | undefined) ?? newId(), rest);
        break;
      }
      case 'software.remove': {
        const { software_id, ...rest } = p;
        emit('SoftwareRemoved', software_id as string, rest);
        break;
      }
      default:
        throw new Error(`applyPlan does not handle ${c.name}`);
    }
  }
  return events;
}

/** A fold for the fixture's hostname with the first plan of `facts` applied. */
export function stateAfter(facts: Facts, planned: readonly PlannedCommand[]): StateFold {
  const fold = new StateFold(facts.hostname);
  applyPlan(fold, planned);
  return fold;
}
