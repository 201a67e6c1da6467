/**
 * The one upload flow of the SPA (DESIGN.md §6): check the file against the limits →
 * request a slot (the page's mutation) → PUT the bytes with progress → confirm.
 *
 *   const upload = useUpload({
 *     limits: IMAGES_AND_PDF,
 *     request: async (file, contentType) => step(await requestSlot({ … }), (d) => d.documentUploadRequest, …),
 *     confirm: async (slot) => …,
 *     onDone: ({ result }) => …,
 *   });
 *   upload.start(file); upload.cancel(); upload.retry();
 *
 * Every failure ends in one `failed` state with a zh-CN message, the field and the code:
 * payload errors `{ field code message }` as the server wrote them, top-level errors via
 * describeError, the PUT's own failures and the client-side precheck with codes of their own.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../api/errorMessages';
import type { PayloadError } from '../forms/formErrors';
import { precheck } from './limits';
import type { UploadLimits } from './limits';
import { PutError, contentTypeOf, putFile } from './putFile';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'requesting'; filename: string }
  | { phase: 'uploading'; filename: string; percent: number }
  | { phase: 'confirming'; filename: string }
  | { phase: 'done'; filename: string }
  | UploadFailure;

export interface UploadFailure {
  phase: 'failed';
  filename: string | null;
  /** What to show, as is. */
  message: string;
  /** The argument or field the server (or the precheck) named, e.g. `size`. */
  field: string | null;
  /**
   * The server's error code, or a client one: INVALID_SIZE / TOO_LARGE / UNSUPPORTED_TYPE
   * (precheck), HTTP_ERROR / NETWORK_ERROR / CANCELLED (the PUT), REQUEST_FAILED (a
   * network or top-level GraphQL error of a mutation).
   */
  code: string;
  /** Every payload error of the failed step (one entry for the client-side failures). */
  errors: readonly PayloadError[];
}

/** What one step (a mutation) gave: the value it produced, else why not. */
export interface StepResult<T> {
  /** A network or top-level GraphQL error. */
  error?: CombinedError | undefined;
  /** The payload's typed errors. */
  errors?: readonly PayloadError[] | null | undefined;
  /** Missing (or null) means the step failed, with `errors` saying why. */
  value?: T | null | undefined;
}

/** A slot: where to PUT, plus whatever the page needs to confirm or use it. */
export interface Slot {
  url: string;
}

export interface UploadConfig<S extends Slot, R> {
  /** Checked before requesting a slot; without it only the server checks. */
  limits?: UploadLimits;
  request: (file: File, contentType: string) => Promise<StepResult<S>>;
  /** After the PUT; without it the upload is done once the bytes are stored. */
  confirm?: (slot: S, file: File) => Promise<StepResult<R>>;
  onDone?: (done: UploadDone<S, R>) => void;
  onFailed?: (failure: UploadFailure) => void;
}

export interface UploadDone<S, R> {
  file: File;
  slot: S;
  /** The confirm step's value (undefined without a confirm step). */
  result: R | undefined;
}

export type UploadOutcome<S, R> = ({ ok: true } & UploadDone<S, R>) | { ok: false; failure: UploadFailure };

export interface UseUpload<S, R> {
  state: UploadState;
  /** True while a file is on its way (requesting, uploading, confirming). */
  busy: boolean;
  /** Runs the whole flow for this file; resolves when it is done or failed, never rejects. */
  start: (file: File) => Promise<UploadOutcome<S, R>>;
  /** Aborts a request or PUT in flight (not a confirm: the bytes are already checked then). */
  cancel: () => void;
  /** Starts again with the last file (a fresh slot: the old URL may have expired). */
  retry: () => Promise<UploadOutcome<S, R>> | null;
  /** Back to idle (e.g. when the form is reset). */
  reset: () => void;
}

const GENERIC = '上传失败，请稍后重试';

function failure(filename: string | null, error: PayloadError): UploadFailure {
  return {
    phase: 'failed',
    filename,
    message: error.message || GENERIC,
    field: error.field ?? null,
    code: error.code,
    errors: [error],
  };
}

/** The failure of a step that produced no value. */
function stepFailure(filename: string, result: StepResult<unknown>): UploadFailure {
  if (result.error) return failure(filename, { field: null, code: 'REQUEST_FAILED', message: describeError(result.error) });
  const errors = result.errors ?? [];
  const first = errors[0];
  if (!first) return failure(filename, { field: null, code: 'REQUEST_FAILED', message: GENERIC });
  return { ...failure(filename, first), errors };
}

/**
 * Reads a urql result into a StepResult: `pick` takes the payload from the data, `value`
 * what the step produced from the payload (null when it produced nothing).
 */
export function step<D, P extends { errors: readonly PayloadError[] }, T>(
  result: { data?: D | undefined; error?: CombinedError | undefined },
  pick: (data: D) => P | null | undefined,
  value: (payload: P) => T | null | undefined,
): StepResult<T> {
  const payload = result.data ? pick(result.data) : null;
  return { error: result.error, errors: payload?.errors, value: payload && payload.errors.length === 0 ? value(payload) : null };
}

export function useUpload<S extends Slot, R = undefined>(config: UploadConfig<S, R>): UseUpload<S, R> {
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  // The latest callbacks: a page passes new closures on every render.
  const configRef = useRef(config);
  configRef.current = config;
  // Each start gets a number; results of an older (cancelled, superseded) run are dropped.
  const runRef = useRef(0);
  const abortRef = useRef<AbortController | null>(null);
  const phaseRef = useRef<UploadState['phase']>('idle');
  const lastFileRef = useRef<File | null>(null);
  const mountedRef = useRef(true);

  const set = useCallback((next: UploadState) => {
    phaseRef.current = next.phase;
    if (mountedRef.current) setState(next);
  }, []);

  useEffect(() => {
    mountedRef.current = true;
    return () => {
      // Leaving the page aborts a PUT in flight; its result is ignored.
      mountedRef.current = false;
      runRef.current += 1;
      abortRef.current?.abort();
    };
  }, []);

  const start = useCallback(
    async (file: File): Promise<UploadOutcome<S, R>> => {
      abortRef.current?.abort();
      const run = ++runRef.current;
      const abort = new AbortController();
      abortRef.current = abort;
      lastFileRef.current = file;
      const current = () => run === runRef.current;
      const cancelled = (): UploadOutcome<S, R> => ({
        ok: false,
        failure: failure(file.name, { field: null, code: 'CANCELLED', message: '上传已取消' }),
      });
      const fail = (f: UploadFailure): UploadOutcome<S, R> => {
        if (!current()) return cancelled();
        set(f);
        configRef.current.onFailed?.(f);
        return { ok: false, failure: f };
      };

      const contentType = contentTypeOf(file);
      const { limits } = configRef.current;
      const refused = limits ? precheck(file, contentType, limits) : null;
      if (refused) return fail(failure(file.name, refused));

      set({ phase: 'requesting', filename: file.name });
      let requested: StepResult<S>;
      try {
        requested = await configRef.current.request(file, contentType);
      } catch (error) {
        return fail(failure(file.name, { field: null, code: 'REQUEST_FAILED', message: error instanceof Error ? error.message : GENERIC }));
      }
      if (!current()) return cancelled();
      const slot = requested.value;
      if (!slot || requested.error) return fail(stepFailure(file.name, requested));

      set({ phase: 'uploading', filename: file.name, percent: 0 });
      try {
        await putFile(slot.url, file, contentType, {
          signal: abort.signal,
          onProgress: (percent) => {
            if (current()) set({ phase: 'uploading', filename: file.name, percent });
          },
        });
      } catch (error) {
        if (error instanceof PutError) return fail(failure(file.name, { field: null, code: error.code, message: error.message }));
        return fail(failure(file.name, { field: null, code: 'NETWORK_ERROR', message: GENERIC }));
      }
      if (!current()) return cancelled();

      let result: R | undefined;
      const { confirm } = configRef.current;
      if (confirm) {
        set({ phase: 'confirming', filename: file.name });
        let confirmed: StepResult<R>;
        try {
          confirmed = await confirm(slot, file);
        } catch (error) {
          return fail(failure(file.name, { field: null, code: 'REQUEST_FAILED', message: error instanceof Error ? error.message : GENERIC }));
        }
        if (!current()) return cancelled();
        if (confirmed.value === null || confirmed.value === undefined || confirmed.error) {
          return fail(stepFailure(file.name, confirmed));
        }
        result = confirmed.value;
      }
      abortRef.current = null;
      set({ phase: 'done', filename: file.name });
      const done: UploadDone<S, R> = { file, slot, result };
      configRef.current.onDone?.(done);
      return { ok: true, ...done };
    },
    [set],
  );

  const cancel = useCallback(() => {
    const phase = phaseRef.current;
    if (phase !== 'requesting' && phase !== 'uploading') return;
    // Superseding the run drops a slot still being requested; aborting stops the PUT.
    runRef.current += 1;
    abortRef.current?.abort();
    abortRef.current = null;
    set(failure(lastFileRef.current?.name ?? null, { field: null, code: 'CANCELLED', message: '上传已取消' }));
  }, [set]);

  const retry = useCallback(() => {
    const file = lastFileRef.current;
    if (!file || phaseRef.current !== 'failed') return null;
    return start(file);
  }, [start]);

  const reset = useCallback(() => {
    runRef.current += 1;
    abortRef.current?.abort();
    abortRef.current = null;
    lastFileRef.current = null;
    set({ phase: 'idle' });
  }, [set]);

  const busy = state.phase === 'requesting' || state.phase === 'uploading' || state.phase === 'confirming';
  return { state, busy, start, cancel, retry, reset };
}
