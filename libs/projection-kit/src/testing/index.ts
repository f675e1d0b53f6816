// Test fixtures for projector packages (like ./laws, not part of the runtime API).
export { createIsolatedStream, type IsolatedStream } from './isolated-stream.js';
