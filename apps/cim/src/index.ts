// Public API of @cim/cli: the program, for tools that embed or document it. The binary is bin/cim.js.
export { type CliContext, createContext } from './context.js';
export { CliError, type CliErrorCode, EXIT_CODES, isCliError } from './errors.js';
export { buildProgram } from './program.js';
