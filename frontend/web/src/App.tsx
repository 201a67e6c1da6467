import { RouterProvider, createBrowserRouter } from 'react-router';
import { AppProviders } from './app/AppProviders';
import { routes } from './app/routes';
import { createTokenStore } from './auth/tokenStore';

const tokens = createTokenStore();
const router = createBrowserRouter(routes);

export function App() {
  return (
    <AppProviders tokens={tokens}>
      <RouterProvider router={router} />
    </AppProviders>
  );
}
