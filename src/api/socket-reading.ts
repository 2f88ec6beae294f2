import type { Socket } from 'node:net';

/** The part of a TCP socket's libuv handle that starts and stops reading (what net.Socket itself calls). */
interface ReadHandle {
  /** net.Socket's own record of whether the handle reads (its _read starts the handle when false). */
  readonly reading: boolean;
  readStart(): number;
  readStop(): number;
}

function handleOf(sock: Socket): ReadHandle | null {
  const h = (sock as unknown as { _handle?: Partial<ReadHandle> | null })._handle;
  return h && typeof h.readStart === 'function' && typeof h.readStop === 'function'
    ? (h as ReadHandle)
    : null;
}

/**
 * Stops reading the socket at its handle: the bytes that arrive from now on stay in the kernel (TCP
 * backpressure), and libuv does not read it even later in the poll that is running (it skips a
 * socket an earlier callback of the same poll stopped). `socket.pause()` would go on reading into
 * the stream's buffer. net.Socket's record that the handle reads is left as it is, so that its
 * stream, asking for more after a chunk (its `_read`), does not start the handle again.
 * A handle net.Socket stopped itself (its buffer full) is left to it.
 */
export function stopReading(sock: Socket): void {
  const h = handleOf(sock);
  if (h?.reading) h.readStop();
}

/** Reads the socket again after stopReading (a handle already reading is left as it is). */
export function startReading(sock: Socket): void {
  if (sock.destroyed) return;
  const h = handleOf(sock);
  // readStart on a handle that reads answers EALREADY and changes nothing.
  if (h?.reading) h.readStart();
}
