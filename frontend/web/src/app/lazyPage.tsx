import { Suspense, lazy, useState } from 'react';
import type { ComponentType } from 'react';
import { Flex, Spin } from 'antd';

/** What a page shows while its chunk loads (the layout around it stays). */
export function PageLoading() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }}>
      <Spin size="large" aria-label="页面加载中" />
    </Flex>
  );
}

const preloads: Array<() => Promise<unknown>> = [];

/** Loads every lazily loaded module now (tests: src/test/renderApp.tsx). */
export function preloadLazyModules(): Promise<unknown> {
  return Promise.all(preloads.map((load) => load()));
}

/**
 * `load`, run at most once; registered for preloadLazyModules. `done` is called with the
 * module once it has loaded.
 */
export function lazyModule<M>(load: () => Promise<M>, done?: (module: M) => void): () => Promise<M> {
  let promise: Promise<M> | undefined;
  const once = () => {
    promise ??= load().then(
      (module) => {
        done?.(module);
        return module;
      },
      (error: unknown) => {
        promise = undefined; // a failed chunk load may be retried
        throw error;
      },
    );
    return promise;
  };
  preloads.push(once);
  return once;
}

/**
 * A page component loaded on first render from a chunk of its own, by its named export:
 * `lazyPage(() => import('../pages/ProfilePage'), 'ProfilePage')`. The first load of the
 * SPA then carries only the pages it shows (the budget: tests/web/test_spa_budget.py).
 * Once the chunk is in, new instances render the page directly, without a Suspense pass.
 */
export function lazyPage<P extends object, K extends string>(
  load: () => Promise<Record<K, ComponentType<P>>>,
  name: K,
  { preload = false }: { preload?: boolean } = {},
): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  const loadOnce = lazyModule(load, (module) => {
    loaded = module[name];
  });
  if (preload && typeof window !== 'undefined') {
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 1));
    idle(() => void loadOnce().catch(() => undefined));
  }
  // Typed as the plain component: `LazyExoticComponent`'s ref-aware props do not unify
  // with a generic P, and what it renders is exactly the page's props.
  const Lazy = lazy(async () => ({ default: (await loadOnce())[name] })) as unknown as ComponentType<P>;
  function LazyPage(props: P) {
    // Fixed at mount: switching from the Suspense tree to the page would remount it.
    const [Page] = useState(() => loaded);
    if (Page) return <Page {...props} />;
    return (
      <Suspense fallback={<PageLoading />}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  LazyPage.displayName = `Lazy(${name})`;
  return LazyPage;
}
