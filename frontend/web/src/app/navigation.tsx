/**
 * The side menu and the role-bound routes, from one table: each role has a section of
 * pages; a user with several roles sees every section they hold, in this order.
 */
import type { ReactNode } from 'react';
import type { MenuProps } from 'antd';
import { NavIcon } from './NavIcon';
import type { Role } from '../gql/graphql';

/** Role names: one table, in src/labels/enums.ts. */
export { ROLE_LABELS } from '../labels/enums';

export interface NavItem {
  /** Stable key; also the menu item key. */
  key: string;
  path: string;
  label: string;
  icon: ReactNode;
}

export interface NavSection {
  role: Role;
  title: string;
  items: readonly NavItem[];
}

export const NAV_SECTIONS: readonly NavSection[] = [
  {
    role: 'REGISTRANT',
    title: '个人事务',
    items: [
      { key: 'me.profile', path: '/me/profile', label: '我的信息', icon: <NavIcon name="IdcardOutlined" /> },
      { key: 'me.applications', path: '/applications', label: '我的申请', icon: <NavIcon name="FileTextOutlined" /> },
      { key: 'me.practice', path: '/practice', label: '执业记录', icon: <NavIcon name="SolutionOutlined" /> },
      { key: 'me.credit', path: '/credit', label: '信用画像', icon: <NavIcon name="DashboardOutlined" /> },
      { key: 'me.certificates', path: '/certificates', label: '我的证书', icon: <NavIcon name="SafetyCertificateOutlined" /> },
    ],
  },
  {
    role: 'REGISTRANT',
    title: '继续教育',
    items: [
      { key: 'education.courses', path: '/courses', label: '课程目录', icon: <NavIcon name="AppstoreOutlined" /> },
      { key: 'education.learning', path: '/learning', label: '我的课程', icon: <NavIcon name="ReadOutlined" /> },
      { key: 'education.hours', path: '/hours', label: '我的学时', icon: <NavIcon name="ClockCircleOutlined" /> },
    ],
  },
  {
    role: 'EMPLOYER_ADMIN',
    title: '本单位',
    items: [
      { key: 'employer.staff', path: '/employer/staff', label: '本单位人员', icon: <NavIcon name="TeamOutlined" /> },
      { key: 'employer.evaluations', path: '/employer/evaluations', label: '待评价', icon: <NavIcon name="AuditOutlined" /> },
      { key: 'employer.certificates', path: '/employer/certificates', label: '人员证书', icon: <NavIcon name="SafetyCertificateOutlined" /> },
    ],
  },
  {
    role: 'PROVINCIAL_REVIEWER',
    title: '省级审核',
    items: [
      { key: 'review.preliminary', path: '/review/preliminary', label: '初审工作台', icon: <NavIcon name="FileSearchOutlined" /> },
      { key: 'review.hours', path: '/review/hours', label: '个人申报审核', icon: <NavIcon name="ClockCircleOutlined" /> },
      { key: 'review.credit', path: '/review/credit', label: '信用管理', icon: <NavIcon name="ExceptionOutlined" /> },
    ],
  },
  {
    role: 'MINISTRY_REVIEWER',
    title: '部级审核',
    items: [
      { key: 'review.final', path: '/review/final', label: '终审工作台', icon: <NavIcon name="FileDoneOutlined" /> },
      { key: 'review.certificates', path: '/review/certificates', label: '证书管理', icon: <NavIcon name="StopOutlined" /> },
      { key: 'ministry.credit', path: '/ministry/credit', label: '信用管理', icon: <NavIcon name="ExceptionOutlined" /> },
    ],
  },
  {
    role: 'TRAINER',
    title: '培训',
    items: [{ key: 'training.courses', path: '/trainer/courses', label: '课程管理', icon: <NavIcon name="BookOutlined" /> }],
  },
  {
    role: 'ANALYST',
    title: '统计',
    items: [{ key: 'analytics', path: '/analytics', label: '统计分析', icon: <NavIcon name="BarChartOutlined" /> }],
  },
  {
    role: 'ADMIN',
    title: '系统管理',
    items: [
      { key: 'admin.persons', path: '/admin/persons', label: '人员管理', icon: <NavIcon name="UserOutlined" /> },
      { key: 'admin.employers', path: '/admin/employers', label: '单位管理', icon: <NavIcon name="BankOutlined" /> },
      { key: 'admin.users', path: '/admin/users', label: '用户管理', icon: <NavIcon name="UsergroupAddOutlined" /> },
      { key: 'admin.certificates', path: '/admin/certificates', label: '证书管理', icon: <NavIcon name="StopOutlined" /> },
      { key: 'admin.credit', path: '/admin/credit', label: '信用管理', icon: <NavIcon name="ExceptionOutlined" /> },
    ],
  },
];

/** The sections a user with these roles sees, in menu order. */
export function sectionsFor(roles: readonly Role[]): NavSection[] {
  const held = new Set(roles);
  return NAV_SECTIONS.filter((section) => held.has(section.role));
}

/** antd Menu items: one group per section. */
export function menuItemsFor(roles: readonly Role[]): NonNullable<MenuProps['items']> {
  // A role may have several sections (registrants: 个人事务 and 继续教育): the key
  // names the section, not only its role, or React drops or duplicates a group.
  return sectionsFor(roles).map((section) => ({
    type: 'group' as const,
    key: `section.${section.role}.${section.items[0]?.key ?? section.title}`,
    label: section.title,
    children: section.items.map((item) => ({ key: item.key, icon: item.icon, label: item.label })),
  }));
}

/**
 * 工作台 at `/`: every user holding a role lands here (what to do next, per role); it sits
 * above the sections in the menu. The layout gives it its icon.
 */
export const HOME_ITEM: NavItem = { key: 'home', path: '/', label: '工作台', icon: null };

/** The page a user lands on after signing in (工作台); null when they hold no role. */
export function homePathFor(roles: readonly Role[]): string | null {
  return sectionsFor(roles).length > 0 ? HOME_ITEM.path : null;
}

/** The menu item whose page contains this location, if any. */
export function navItemForPath(pathname: string): NavItem | undefined {
  if (pathname === HOME_ITEM.path) return HOME_ITEM;
  for (const section of NAV_SECTIONS) {
    const found = section.items.find(
      (item) => pathname === item.path || pathname.startsWith(`${item.path}/`),
    );
    if (found) return found;
  }
  return undefined;
}

export function navItemByKey(key: string): NavItem | undefined {
  if (key === HOME_ITEM.key) return HOME_ITEM;
  for (const section of NAV_SECTIONS) {
    const found = section.items.find((item) => item.key === key);
    if (found) return found;
  }
  return undefined;
}
