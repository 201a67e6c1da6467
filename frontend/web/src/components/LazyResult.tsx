import { Suspense, lazy } from 'react';
import type { ResultProps } from 'antd';
import { lazyModule } from '../app/lazyPage';

// antd's Result bundles three large illustrations (403/404/500); the first page does not
// need them, so the component is fetched the first time one is shown.
const loadResult = lazyModule(() => import('./antdResult'));
const Result = lazy(async () => ({ default: (await loadResult()).Result }));

/** antd's `Result`, loaded on first render. */
export function LazyResult(props: ResultProps) {
  return (
    <Suspense fallback={null}>
      <Result {...props} />
    </Suspense>
  );
}
