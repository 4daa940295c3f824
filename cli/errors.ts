/** A problem the user can act on: printed as one line, no stack, exit code 2. */
export class PortscopeCliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortscopeCliError';
  }
}
