import type { Socket } from 'node:net';

/** The part of a TCP socket's libuv handle that starts and stops reading (what net.Socket itself calls). */
interface ReadHandle {
  reading: boolean;
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
 * Stops reading the socket at the handle, as net.Socket's own pause() does only for sockets read
 * into a caller's buffer: the bytes that arrive from now on stay in the kernel (TCP backpressure).
 * `socket.pause()` alone would go on reading into the stream's buffer up to its high-water mark,
 * and libuv would still read a socket stopped this way later in the same poll (it skips watchers
 * stopped by an earlier callback of that poll).
 */
export function stopReading(sock: Socket): void {
  const h = handleOf(sock);
  if (!h) return void sock.pause();
  if (!h.reading) return;
  h.reading = false;
  h.readStop();
}

/** Reads the socket again (undoes stopReading). */
export function startReading(sock: Socket): void {
  if (sock.destroyed) return;
  const h = handleOf(sock);
  if (!h) return void sock.resume();
  if (h.reading) return;
  h.reading = true;
  const err = h.readStart();
  if (err) sock.destroy(new Error(`readStart failed (${err})`));
}
