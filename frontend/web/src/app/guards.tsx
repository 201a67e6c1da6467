import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Location } from 'react-router';
import type { Role } from '../gql/graphql';
import { useAuth } from '../auth/AuthContext';
import { useViewer } from './ViewerContext';
import { homePathFor } from './navigation';
import { lazyPage } from './lazyPage';

// Status pages (antd Result and its illustrations) load when first shown.
const ForbiddenPage = lazyPage(() => import('../pages/StatusPages'), 'ForbiddenPage');
const NoRolePage = lazyPage(() => import('../pages/StatusPages'), 'NoRolePage');

/** Signed-out users go to /login, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { signedIn } = useAuth();
  const location = useLocation();
  if (!signedIn) {
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to="/login" replace state={{ from }} />;
  }
  return children;
}

/** Where to go after signing in: the page that sent the user to /login, else home. */
export function returnPath(location: Location): string {
  const state: unknown = location.state;
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = (state as { from: unknown }).from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')) {
      return from;
    }
  }
  return '/';
}

/** The login page is for signed-out users only: once signed in, go where they were headed. */
export function PublicOnly({ children }: { children: ReactNode }) {
  const { signedIn } = useAuth();
  const location = useLocation();
  return signedIn ? <Navigate to={returnPath(location)} replace /> : children;
}

/** A page of one role's section: others see 403. */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useViewer();
  return user.roles.includes(role) ? children : <ForbiddenPage />;
}

/** A page shared by several roles' sections: users holding none of them see 403. */
export function RequireAnyRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { user } = useViewer();
  return roles.some((role) => user.roles.includes(role)) ? children : <ForbiddenPage />;
}

/** `/`: 工作台 for users holding a role, else the page saying they have none. */
export function HomeGate({ children }: { children: ReactNode }) {
  const { user } = useViewer();
  return homePathFor(user.roles) ? children : <NoRolePage />;
}
