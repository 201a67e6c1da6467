/**
 * One application by id (ApplicationDetail via node(id)), shared by the registrant's and
 * the reviewers' detail pages. While a confirmed document waits for OCR the query is
 * re-run from the network every 2 seconds.
 */
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { ApplicationDetailDocument } from '../gql/graphql';
import type { ApplicationDetailQuery } from '../gql/graphql';
import { ocrPending } from './helpers';

type NodeResult = NonNullable<ApplicationDetailQuery['node']>;
export type ApplicationDetail = Exclude<NodeResult, Record<PropertyKey, never>>;
export type ApplicationDocumentDetail = ApplicationDetail['documents'][number];

export function asApplication(node: ApplicationDetailQuery['node'] | undefined): ApplicationDetail | null {
  return node && 'kind' in node ? (node as ApplicationDetail) : null;
}

export const POLL_INTERVAL_MS = 2000;

export function useApplication(id: string) {
  const [result, reexecute] = useQuery({
    query: ApplicationDetailDocument,
    variables: { id },
    requestPolicy: 'cache-and-network',
  });
  const application = asApplication(result.data?.node);
  const polling = !!application && ocrPending(application.documents);

  useEffect(() => {
    if (!polling) return undefined;
    const timer = window.setInterval(() => reexecute({ requestPolicy: 'network-only' }), POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [polling, reexecute]);

  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return { application, error: result.error, fetching: result.fetching, loaded: !!result.data, refresh, polling };
}
