/**
 * The session: whether someone is signed in, how to sign in and out, and the urql client
 * of this session (a new client, with an empty cache, on every sign-in and sign-out, so
 * no data of one user is ever shown to the next).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { createApiClient } from '../api/client';
import type { SessionEndReason } from '../api/client';
import { TokenRevokeDocument } from '../gql/graphql';
import type { TokenPair, TokenStore } from './tokenStore';

export interface AuthContextValue {
  signedIn: boolean;
  /** Why the last session ended without a logout, to tell the user on the login page. */
  sessionEnded: SessionEndReason | null;
  signIn(pair: TokenPair): void;
  /** Revoke the refresh token on the server (best effort), then forget the tokens. */
  signOut(): Promise<void>;
  /** The server no longer accepts this session (e.g. the viewer came back anonymous). */
  endSession(reason: SessionEndReason): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export interface AuthProviderProps {
  tokens: TokenStore;
  /** Injected in tests. */
  fetch?: typeof fetch;
  children: ReactNode;
}

export function AuthProvider({ tokens, fetch, children }: AuthProviderProps) {
  const [signedIn, setSignedIn] = useState(() => tokens.get() !== null);
  const [sessionEnded, setSessionEnded] = useState<SessionEndReason | null>(null);

  useEffect(
    () =>
      tokens.subscribe((pair) => {
        // Refreshes replace one pair with another and keep the session (and client).
        setSignedIn(pair !== null);
      }),
    [tokens],
  );

  // One client per session: recreated when signedIn flips.
  const client = useMemo(
    () => createApiClient({ tokens, fetch, onSessionEnded: setSessionEnded }),
    [tokens, fetch, signedIn],
  );

  const signIn = useCallback(
    (pair: TokenPair) => {
      setSessionEnded(null);
      tokens.set(pair);
    },
    [tokens],
  );

  const signOut = useCallback(async () => {
    const pair = tokens.get();
    if (pair) {
      try {
        await client
          .mutation(TokenRevokeDocument, { refreshToken: pair.refreshToken })
          .toPromise();
      } catch {
        // the server is unreachable: forgetting the tokens still signs this tab out
      }
    }
    setSessionEnded(null);
    tokens.set(null);
  }, [client, tokens]);

  const endSession = useCallback(
    (reason: SessionEndReason) => {
      if (tokens.get() === null) return;
      setSessionEnded(reason);
      tokens.set(null);
    },
    [tokens],
  );

  const value = useMemo<AuthContextValue>(
    () => ({ signedIn, sessionEnded, signIn, signOut, endSession }),
    [signedIn, sessionEnded, signIn, signOut, endSession],
  );

  return (
    <AuthContext.Provider value={value}>
      <UrqlProvider value={client}>{children}</UrqlProvider>
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() outside <AuthProvider>');
  return value;
}
