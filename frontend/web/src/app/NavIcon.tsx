import { Suspense, lazy } from 'react';
import type { NAV_ICONS } from './navIcons';
import { lazyModule } from './lazyPage';

export type NavIconName = keyof typeof NAV_ICONS;

const loadIcons = lazyModule(() => import('./navIcons'));

const Icon = lazy(async () => {
  const { NAV_ICONS: icons } = await loadIcons();
  return {
    default: function NavIconLoaded({ name }: { name: NavIconName }) {
      const Found = icons[name];
      return <Found />;
    },
  };
});

/** A menu icon by name, from the icons chunk (an empty icon box until it has loaded). */
export function NavIcon({ name }: { name: NavIconName }) {
  return (
    <Suspense fallback={<span role="img" aria-hidden="true" className="anticon" />}>
      <Icon name={name} />
    </Suspense>
  );
}
