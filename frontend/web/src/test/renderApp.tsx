import { render } from '@testing-library/react';
import { RouterProvider, createMemoryRouter } from 'react-router';
import { AppProviders } from '../app/AppProviders';
import { routes } from '../app/routes';
import { createTokenStore } from '../auth/tokenStore';
import type { TokenPair, TokenStore } from '../auth/tokenStore';
import { fakeApi } from './fakeApi';
import type { FakeApi, GraphQLResponseBody, OperationHandler } from './fakeApi';
import { preloadLazyModules } from '../app/lazyPage';

// The routes load their pages lazily; a test file that renders the app loads them all
// while it is imported (as the eager routes did), not inside a test's timeout.
await preloadLazyModules();

export interface RenderAppOptions {
  path: string;
  handlers: Record<string, OperationHandler | GraphQLResponseBody>;
  /** Signed in with these tokens (stored as the app would). */
  tokens?: TokenPair;
}

export interface RenderedApp {
  api: FakeApi;
  tokens: TokenStore;
  router: ReturnType<typeof createMemoryRouter>;
}

/** The whole app (real routes, providers and urql client) over a fake API. */
export function renderApp({ path, handlers, tokens: pair }: RenderAppOptions): RenderedApp {
  const api = fakeApi(handlers);
  const tokens = createTokenStore(window.sessionStorage);
  if (pair) tokens.set(pair);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <AppProviders tokens={tokens} fetch={api.fetch}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { api, tokens, router };
}
