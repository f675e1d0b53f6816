import { NetworkIndex } from './network-index.js';

/**
 * The state of the pure SQL projection: the index of active networks, which decides the network of
 * each interface address. Everything else is a function of the event alone.
 */
export interface ModelState {
  readonly networks: NetworkIndex;
}

/** The state before the first event: no networks. */
export const initialModelState = (): ModelState => ({ networks: NetworkIndex.empty });
