import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { ProfilePage, formatDate } from './ProfilePage';
import { ViewerProvider } from '../app/ViewerContext';
import type { SignedInViewer } from '../app/ViewerContext';
import { FULL_ID_NUMBER, MASKED_ID_NUMBER, tokenPair, viewerData } from '../test/fixtures';
import { renderApp } from '../test/renderApp';

function renderProfile(viewer: SignedInViewer) {
  render(
    <MemoryRouter>
      <ViewerProvider viewer={viewer}>
        <ProfilePage />
      </ViewerProvider>
    </MemoryRouter>,
  );
}

function registrant(): SignedInViewer {
  const { viewer } = viewerData(['REGISTRANT']);
  if (!viewer.user) throw new Error('fixture');
  return { user: viewer.user, person: viewer.person, employer: viewer.employer };
}

describe('我的信息', () => {
  it('shows the person with the masked ID number only', () => {
    renderProfile(registrant());
    expect(screen.getByRole('heading', { name: '我的信息' })).toBeInTheDocument();
    expect(screen.getByText(MASKED_ID_NUMBER)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(FULL_ID_NUMBER);
    expect(document.body.textContent).not.toMatch(/\d{17}[\dX]/);

    const row = (label: string) => screen.getByText(label).closest('tr');
    expect(row('姓名')).toHaveTextContent('陈静');
    expect(row('性别')).toHaveTextContent('女');
    expect(row('出生日期')).toHaveTextContent('1986年4月12日');
    expect(row('身份证号码')).toHaveTextContent(MASKED_ID_NUMBER);
    expect(row('行政区划代码')).toHaveTextContent('440305');
    expect(screen.getByText('注册人员')).toBeInTheDocument();
  });

  it('shows 男 for a male person', () => {
    const viewer = registrant();
    renderProfile({ ...viewer, person: viewer.person && { ...viewer.person, gender: 'MALE' } });
    expect(screen.getByText('性别').closest('tr')).toHaveTextContent('男');
  });

  it('says so when the account has no person record', () => {
    renderProfile({ ...registrant(), person: null });
    expect(screen.getByText('当前账号尚未关联人员登记信息')).toBeInTheDocument();
  });

  it('is reached from the menu with the data of the Viewer query', async () => {
    const { api } = renderApp({ path: '/me/profile', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['REGISTRANT']) } } });
    expect(await screen.findByText(MASKED_ID_NUMBER)).toBeInTheDocument();
    expect(api.names()).toEqual(['Viewer']);
    expect(document.title).toBe('我的信息 - 注册安全工程师管理平台');
  });

  it('formats dates in Chinese and leaves bad input as is', () => {
    expect(formatDate('2001-12-01')).toBe('2001年12月1日');
    expect(formatDate('bad')).toBe('bad');
  });
});
