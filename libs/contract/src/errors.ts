/** Codes of the errors the contract raises. */
export type ContractErrorCode =
  | 'INVALID_VALUE'
  | 'INVALID_EVENT'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_SCHEMA_VERSION';

/** Base error of the contract package: a stable `code` plus a message a person can act on. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isContractError = (e: unknown): e is ContractError => e instanceof ContractError;
