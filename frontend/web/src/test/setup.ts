/**
 * Vitest setup (jsdom): jest-dom matchers, and the browser APIs jsdom lacks that antd
 * (matchMedia, ResizeObserver) and ECharts (canvas getContext) call.
 */
import '@testing-library/jest-dom/vitest';
import { afterEach, vi } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// The first find* after rendering the whole app waits for antd's layout, the urql
// round trip of the viewer and the page: over a second on a loaded 2-core CI machine.
// Real timers only (no test fakes them), so a longer wait costs time only on failure.
configure({ asyncUtilTimeout: 8000 });

/** Evaluates (min-width: …px) / (max-width: …px) against the window width (jsdom: 1024). */
function matchesWidth(query: string): boolean {
  const width = window.innerWidth;
  const conditions = [...query.matchAll(/\((min|max)-width:\s*(\d+(?:\.\d+)?)px\)/g)];
  return (
    conditions.length > 0 &&
    conditions.every(([, kind, px]) => (kind === 'min' ? width >= Number(px) : width <= Number(px)))
  );
}

function matchMediaStub(query: string): MediaQueryList {
  return {
    matches: matchesWidth(query),
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  };
}

Object.defineProperty(window, 'matchMedia', { writable: true, configurable: true, value: matchMediaStub });

class ResizeObserverStub implements ResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
if (!('ResizeObserver' in window)) {
  Object.defineProperty(window, 'ResizeObserver', { writable: true, configurable: true, value: ResizeObserverStub });
}

// jsdom has no canvas: a context that draws nothing is enough for chart components.
Object.defineProperty(HTMLCanvasElement.prototype, 'getContext', {
  writable: true,
  configurable: true,
  value: vi.fn(() => null),
});

// jsdom throws "Not implemented" for pseudo-element styles, which antd asks for.
const computedStyle = window.getComputedStyle.bind(window);
Object.defineProperty(window, 'getComputedStyle', {
  writable: true,
  configurable: true,
  value: (element: Element) => computedStyle(element),
});

afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
});
