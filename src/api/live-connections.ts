/**
 * Open long-polls and SSE streams. On shutdown they are ended at once (a long-poll answers with the
 * current state), so a graceful stop does not wait for clients that would otherwise stay forever.
 */
export class LiveConnections {
  private readonly enders = new Set<() => void>();
  private closed = false;

  /** Registers an ender; returns the function that unregisters it. */
  add(end: () => void): () => void {
    if (this.closed) {
      end();
      return () => undefined;
    }
    this.enders.add(end);
    return () => this.enders.delete(end);
  }

  closeAll(): void {
    this.closed = true;
    for (const end of [...this.enders]) end();
    this.enders.clear();
  }
}
