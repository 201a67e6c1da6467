/** Types of testServer.mjs (a real local PUT endpoint for the upload tests). */
export interface ReceivedPut {
  path: string;
  contentType: string | null;
  /** The body as UTF-8 text (tests upload text blobs). */
  text: string;
  size: number;
}

export interface PutServer {
  /** e.g. http://127.0.0.1:41234; append /ok/…, /status/403/…, /hold/…, /drop/… */
  origin: string;
  /** The PUTs answered with 200, in order. */
  received: ReceivedPut[];
  /** Resolves once a PUT to /hold/… has arrived. */
  held(): Promise<void>;
  /** Resolves once the client closed a held PUT's connection before any answer (an abort). */
  heldAborted(): Promise<void>;
  /** Answers the held PUTs with 200. */
  release(): void;
  close(): Promise<void>;
}

export function startPutServer(): Promise<PutServer>;
