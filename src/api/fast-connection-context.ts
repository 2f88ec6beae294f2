import type { Socket } from 'node:net';
import type { AnswerBytes } from './answer-bytes.js';
import type { ByteBudget } from './byte-budget.js';
import type { FastConnection } from './fast-connection.js';
import type { Answer, IngestBody } from './ingest-delivery.js';
import type { ReadGate } from './read-gate.js';

/** What a connection shares with the fast-path instance that accepted it. */
export interface FastConnectionContext {
  readonly webhookPath: string;
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  readonly budget: ByteBudget;
  readonly answers: AnswerBytes;
  /** Bounds the requests one event-loop turn processes (read-gate.ts). */
  readonly gate: ReadGate;
  /** Shutdown began: every answer closes its connection. */
  readonly closing: boolean;
  readonly ingest: IngestBody;
  readonly tooLarge: () => Answer;
  readonly overloaded: () => Answer;
  /** The source address to believe (a string), or the answer refusing it, before any body is read. */
  readonly admit: ((remote: string, forwardedFor: string | undefined) => string | Answer) | undefined;
  /** A request from `source` was answered 401 (it failed the signature check). */
  readonly onSignatureFailed: ((source: string) => void) | undefined;
  /** A webhook POST was answered (its answer written): its status and its first byte's hrtime. */
  readonly onAnswer: ((status: number, firstByteAt: bigint) => void) | undefined;
  readonly fallback: (socket: Socket) => void;
  forget(connection: FastConnection): void;
}
