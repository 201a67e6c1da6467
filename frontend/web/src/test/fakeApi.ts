/**
 * A fake /graphql endpoint for unit tests: a `fetch` that answers each operation by
 * name with a canned or computed response and records every request. The app's real
 * urql client (exchanges, auth refresh) runs on top of it.
 */
export interface GraphQLResponseBody {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface RecordedRequest {
  operationName: string;
  variables: Record<string, unknown>;
  method: string;
  authorization: string | null;
}

export type OperationHandler = (request: RecordedRequest) => GraphQLResponseBody;

export interface FakeApi {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  /** Names of the operations received, in order. */
  names(): string[];
}

function bodyOf(init: RequestInit | undefined): { operationName?: unknown; variables?: unknown } {
  if (typeof init?.body !== 'string') return {};
  const parsed: unknown = JSON.parse(init.body);
  return typeof parsed === 'object' && parsed !== null ? parsed : {};
}

export function fakeApi(handlers: Record<string, OperationHandler | GraphQLResponseBody>): FakeApi {
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = bodyOf(init);
    const headers = new Headers(init?.headers);
    const request: RecordedRequest = {
      operationName: typeof body.operationName === 'string' ? body.operationName : '',
      variables:
        typeof body.variables === 'object' && body.variables !== null
          ? (body.variables as Record<string, unknown>)
          : {},
      method: init?.method ?? 'GET',
      authorization: headers.get('authorization'),
    };
    requests.push(request);
    const handler = handlers[request.operationName];
    const result: GraphQLResponseBody =
      handler === undefined
        ? { errors: [{ message: `no fake for ${request.operationName}` }] }
        : typeof handler === 'function'
          ? handler(request)
          : handler;
    return new Response(JSON.stringify(result), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  return { fetch: fakeFetch as typeof fetch, requests, names: () => requests.map((r) => r.operationName) };
}
