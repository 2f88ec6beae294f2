/**
 * The table of a database sink, made ready once: created when missing and checked (sinkTableProblem).
 * A failure (the server down, a wrong password, a table Wharf cannot write to) fails the attempts
 * waiting for it and is tried again by the next one, so fixing the table needs no restart.
 */
export class SinkTableProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SinkTableProblem';
  }
}

export class SinkTable {
  private readying: Promise<void> | null = null;

  /** `prepare` creates the table if missing and answers what is wrong with it, or null. */
  constructor(private readonly prepare: () => Promise<string | null>) {}

  /** The table is gone (dropped since it was made ready): the next attempt creates it again. */
  forget(): void {
    this.readying = null;
  }

  ready(): Promise<void> {
    this.readying ??= this.prepare().then((problem) => {
      if (problem !== null) throw new SinkTableProblem(problem);
    });
    this.readying.catch(() => (this.readying = null));
    return this.readying;
  }
}
