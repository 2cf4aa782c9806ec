/** An error caused by the user's input: the CLI prints its message alone and exits non-zero. */
export class LbamacError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LbamacError';
  }
}
