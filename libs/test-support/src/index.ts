// Public API of @cim/test-support: fixtures for `*.int.test.ts` files. Test-only: the one library
// that reads process.env (NATS_URL, DATABASE_URL).
export { isTestSupportError, TestSupportError, type TestSupportErrorCode } from './errors.js';
export {
  DEFAULT_NATS_URL,
  NATS_START_COMMAND,
  type NatsTarget,
  NEWEST_NATS_BINARY,
  NEWEST_NATS_UNPACK_COMMAND,
  type NewestNats,
  natsTargets,
  type ReachedNats,
  reachNats,
  startNewestNats,
} from './nats-server.js';
export {
  createTestDatabase,
  DEFAULT_DATABASE_URL,
  POSTGRES_START_COMMAND,
  type ReachedPostgres,
  reachPostgres,
  type TestDatabase,
} from './postgres.js';
export { DOCKER_SOCKET_PATH, dockerEngineReachable } from './reach-service.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { uniqueName, uniqueStreamName } from './unique-name.js';
export { DEFAULT_WAIT_FOR_OPTIONS, type WaitForOptions, waitFor } from './wait-for.js';
