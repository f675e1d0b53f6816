import type { CommandRejection, InfrastructureEvent } from '@cim/contract';
import type { Command, DecideContext } from './command.js';
import { decideCompute } from './decide-compute.js';
import { decideConnection, decideNetwork } from './decide-network.js';
import { decidePolicy, decideSoftware } from './decide-software-policy.js';
import type { WriteModelView } from './write-model.js';

/** The outcome of a command: the event it appends, or why it was rejected. */
export type Decision = { ok: true; event: InfrastructureEvent } | { ok: false; rejection: CommandRejection };

/**
 * Decides a validated command against the current state: pure, total, and never throws. Every
 * command yields exactly one event on its own aggregate, so a command's append is a single
 * conditional write on the stream.
 */
export function decide(state: WriteModelView, command: Command, ctx: DecideContext): Decision {
  switch (command.name) {
    case 'compute.register':
    case 'compute.update':
    case 'compute.decommission':
    case 'compute.record-measurement':
      return decideCompute(state, command, ctx);
    case 'network.define':
    case 'network.update':
    case 'network.remove':
      return decideNetwork(state, command, ctx);
    case 'connection.establish':
    case 'connection.sever':
      return decideConnection(state, command, ctx);
    case 'software.configure':
    case 'software.remove':
      return decideSoftware(state, command, ctx);
    case 'policy.set':
    case 'policy.remove':
      return decidePolicy(state, command, ctx);
  }
}
