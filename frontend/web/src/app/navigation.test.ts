import { describe, expect, it } from 'vitest';
import { HOME_ITEM, ROLE_LABELS, homePathFor, menuItemsFor, navItemByKey, navItemForPath, sectionsFor } from './navigation';
import type { Role } from '../gql/graphql';

describe('menuItemsFor', () => {
  it('gives every group and item a key of its own, for every role and all roles at once', () => {
    const all = Object.keys(ROLE_LABELS) as Role[];
    for (const roles of [...all.map((r) => [r]), all]) {
      const groups = menuItemsFor(roles);
      const groupKeys = groups.map((g) => String(g?.key));
      expect(new Set(groupKeys).size).toBe(groupKeys.length);
      expect(groups).toHaveLength(sectionsFor(roles).length);
    }
    // Registrants have two sections: both are shown.
    expect(menuItemsFor(['REGISTRANT'])).toHaveLength(2);
  });
});

describe('section titles', () => {
  it('never calls the ministry reviewers provincial', () => {
    for (const section of sectionsFor(['MINISTRY_REVIEWER'])) {
      expect(section.title).not.toMatch(/省级/);
      for (const item of section.items) expect(item.label).not.toMatch(/省级/);
    }
    expect(ROLE_LABELS.MINISTRY_REVIEWER).not.toMatch(/省级/);
  });
});

describe('工作台', () => {
  it('is where every user with a role lands, and only the exact path /', () => {
    expect(homePathFor(['REGISTRANT'])).toBe('/');
    expect(homePathFor(['ANALYST', 'EMPLOYER_ADMIN'])).toBe('/');
    expect(homePathFor([])).toBeNull();
    expect(navItemForPath('/')).toBe(HOME_ITEM);
    expect(navItemByKey('home')).toBe(HOME_ITEM);
    expect(navItemForPath('/applications/1')?.key).toBe('me.applications');
    expect(navItemForPath('/nowhere')).toBeUndefined();
  });
});
