import type { Command, DecideContext } from './command.js';
import type { Decision } from './decide.js';
import { activeResource, emit, newAggregateId } from './decide-support.js';
import { reject } from './errors.js';
import type { WriteModelView } from './write-model.js';

type SoftwareCommand = Extract<Command, { name: 'software.configure' | 'software.remove' }>;
type PolicyCommand = Extract<Command, { name: 'policy.set' | 'policy.remove' }>;

/**
 * `software.configure` creates a software aggregate, or reconfigures an existing one when the request
 * names its `software_id` (new version, ports or config); either way the target resource must be live.
 */
export function decideSoftware(
  state: WriteModelView,
  command: SoftwareCommand,
  ctx: DecideContext,
): Decision {
  switch (command.name) {
    case 'software.configure': {
      const { software_id, ...payload } = command.payload;
      const id = newAggregateId(software_id, 'software_id', ctx);
      if (!id.ok) return reject('VALIDATION_FAILED', id.message);
      const existing = state.software.get(id.id);
      if (existing?.removed)
        return reject('UNKNOWN_SOFTWARE', `software ${id.id} ('${existing.name}') was removed`);
      const target = activeResource(state, payload.resource_id);
      if (!target.ok) return target;
      return emit('SoftwareConfigured', ctx, id.id, (existing?.version ?? 0) + 1, payload);
    }
    case 'software.remove': {
      const { software_id, ...payload } = command.payload;
      const existing = state.software.get(software_id);
      if (!existing) return reject('UNKNOWN_SOFTWARE', `unknown software ${software_id}`);
      if (existing.removed)
        return reject('UNKNOWN_SOFTWARE', `software ${software_id} ('${existing.name}') was already removed`);
      return emit('SoftwareRemoved', ctx, software_id, existing.version + 1, payload);
    }
  }
}

/** A policy target is a live resource or a defined network. */
function badTarget(state: WriteModelView, target: string): Decision | undefined {
  const network = state.networks.get(target);
  if (network) {
    return network.removed
      ? reject('UNKNOWN_NETWORK', `policy target network ${target} ('${network.name}') was removed`)
      : undefined;
  }
  const found = activeResource(state, target, 'policy target');
  return found.ok ? undefined : found;
}

/**
 * `policy.set` creates a policy, or replaces an existing one when the request names its `policy_id`;
 * every target must exist and be live.
 */
export function decidePolicy(state: WriteModelView, command: PolicyCommand, ctx: DecideContext): Decision {
  switch (command.name) {
    case 'policy.set': {
      const { policy_id, ...payload } = command.payload;
      const id = newAggregateId(policy_id, 'policy_id', ctx);
      if (!id.ok) return reject('VALIDATION_FAILED', id.message);
      const existing = state.policies.get(id.id);
      if (existing?.removed)
        return reject('UNKNOWN_POLICY', `policy ${id.id} ('${existing.name}') was removed`);
      for (const target of payload.target_ids) {
        const bad = badTarget(state, target);
        if (bad) return bad;
      }
      return emit('PolicySet', ctx, id.id, (existing?.version ?? 0) + 1, payload);
    }
    case 'policy.remove': {
      const { policy_id, ...payload } = command.payload;
      const existing = state.policies.get(policy_id);
      if (!existing) return reject('UNKNOWN_POLICY', `unknown policy ${policy_id}`);
      if (existing.removed)
        return reject('UNKNOWN_POLICY', `policy ${policy_id} ('${existing.name}') was already removed`);
      return emit('PolicyRemoved', ctx, policy_id, existing.version + 1, payload);
    }
  }
}
