/**
 * The signed-in viewer (Viewer query), loaded once by the shell and read by every page
 * through useViewer().
 */
import { createContext, useContext, useEffect } from 'react';
import type { ReactNode } from 'react';
import { useQuery } from 'urql';
import { Button, Spin } from 'antd';
import { ViewerDocument } from '../gql/graphql';
import type { ViewerQuery } from '../gql/graphql';
import { describeError } from '../api/errorMessages';
import { useAuth } from '../auth/AuthContext';
import { LazyResult } from '../components/LazyResult';

type ViewerData = ViewerQuery['viewer'];

export interface SignedInViewer {
  user: NonNullable<ViewerData['user']>;
  person: ViewerData['person'];
  employer: ViewerData['employer'];
}

const ViewerContext = createContext<SignedInViewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: SignedInViewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): SignedInViewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer() outside <ViewerGate>');
  return viewer;
}

function FullPage({ children }: { children: ReactNode }) {
  return <div className="full-page-center">{children}</div>;
}

/** Loads the viewer; renders children only for a signed-in user. */
export function ViewerGate({ children }: { children: ReactNode }) {
  const { endSession } = useAuth();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: ViewerDocument });
  const user = data?.viewer.user ?? null;
  const anonymous = !!data && user === null;

  // Signed in here, anonymous to the server: the access token is no longer accepted.
  useEffect(() => {
    if (anonymous) endSession('expired');
  }, [anonymous, endSession]);

  if (user && data) {
    return (
      <ViewerProvider viewer={{ user, person: data.viewer.person, employer: data.viewer.employer }}>
        {children}
      </ViewerProvider>
    );
  }
  if (error && !fetching) {
    return (
      <FullPage>
        <LazyResult
          status="error"
          title="无法加载用户信息"
          subTitle={describeError(error)}
          extra={
            <Button type="primary" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
              重试
            </Button>
          }
        />
      </FullPage>
    );
  }
  return (
    <FullPage>
      <Spin size="large" description="正在加载…" />
    </FullPage>
  );
}
