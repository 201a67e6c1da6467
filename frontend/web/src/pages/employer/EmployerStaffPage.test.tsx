import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { RecordedRequest } from '../../test/fakeApi';

const engineer = {
  id: 'UGVyc29uOjE=',
  name: '梁志强',
  idNumberMasked: '440604********4137',
  specialty: 'CHEMICAL',
  registration: { status: 'ACTIVE', validFrom: '2025-12-01', validUntil: '2030-11-30', number: '44202500001' },
  currentCertificate: { id: 'Q2VydGlmaWNhdGU6MQ==', number: '44202500001', validUntil: '2030-11-30' },
  hours: { required: 120, counted: 32.5, shortfall: 87.5, met: false, outlook: 'ON_TRACK', cycleEnd: '2030-11-30' },
  creditGrade: { grade: 'B', provincialColour: '黄' },
  currentEmployment: { id: 'RW1wbG95bWVudDox', startDate: '2024-03-01' },
};

const newcomer = {
  id: 'UGVyc29uOjI=',
  name: '王小明',
  idNumberMasked: '440305********1353',
  specialty: null,
  registration: null,
  currentCertificate: null,
  hours: null,
  creditGrade: null,
  currentEmployment: { id: 'RW1wbG95bWVudDoy', startDate: '2026-01-05' },
};

function page<T>(nodes: T[], hasNextPage = false, endCursor: string | null = null, totalCount = nodes.length) {
  return {
    totalCount,
    pageInfo: { hasNextPage, endCursor },
    edges: nodes.map((node, i) => ({ node, cursor: `c${i}` })),
  };
}

const noInvitations = { data: { employmentInvitations: page([]) } };

function staffHandler(rows: unknown[], seen: RecordedRequest[] = []) {
  return (request: RecordedRequest) => {
    seen.push(request);
    return { data: { persons: page(rows) } };
  };
}

async function rowOf(name: string): Promise<HTMLElement> {
  const cell = await screen.findByText(name);
  const row = cell.closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

/** The button around a label (role queries over the whole app are slow). */
function buttonOf(label: HTMLElement): HTMLElement {
  const button = label.closest('button');
  if (!button) throw new Error('not in a button');
  return button;
}

/** The open modal that shows this text. */
async function dialogWith(text: string): Promise<HTMLElement> {
  const node = await screen.findByText((_, el) => el?.textContent?.startsWith(text) === true && el.children.length === 0);
  const dialog = node.closest<HTMLElement>('.ant-modal');
  if (!dialog) throw new Error(`no dialog with ${text}`);
  return dialog;
}

describe('本单位人员', () => {
  it('shows every status in Chinese, with the masked ID number', async () => {
    renderApp({
      path: '/employer/staff',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerStaff: staffHandler([engineer, newcomer]),
        EmployerInvitations: noInvitations,
      },
    });
    const row = await rowOf('梁志强');
    const cells = within(row);
    expect(cells.getByText('440604********4137')).toBeInTheDocument();
    expect(cells.getByText('注册有效')).toBeInTheDocument();
    expect(cells.getAllByText('44202500001').length).toBeGreaterThan(0);
    expect(cells.getByText('差 87.5 学时')).toBeInTheDocument();
    expect(cells.getByText('32.5/120 学时 · 可按期达到要求')).toBeInTheDocument();
    expect(cells.getByTestId('credit-grade')).toHaveTextContent('B 级（黄）');
    expect(row.textContent).not.toMatch(/ACTIVE|ON_TRACK|CHEMICAL/);
    const other = within(await rowOf('王小明'));
    expect(other.getByText('无有效注册')).toBeInTheDocument();
    expect(other.getByText('无有效证书')).toBeInTheDocument();
    expect(other.getByText('无注册周期')).toBeInTheDocument();
    expect(screen.getByTestId('staff-total')).toHaveTextContent('共 2 人');
  });

  it('searches by name prefix or full ID number through PersonFilterInput', async () => {
    const seen: RecordedRequest[] = [];
    renderApp({
      path: '/employer/staff',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerStaff: staffHandler([engineer], seen),
        EmployerInvitations: noInvitations,
      },
    });
    await rowOf('梁志强');
    const user = userEvent.setup();
    const search = screen.getByLabelText('姓名/身份证号');
    await user.type(search, '梁{Enter}');
    await waitFor(() => expect(seen.at(-1)?.variables).toMatchObject({ filter: { namePrefix: '梁' } }));
    await user.clear(search);
    await user.type(search, '44060419850918413x{Enter}');
    await waitFor(() => expect(seen.at(-1)?.variables).toMatchObject({ filter: { idNumber: '44060419850918413X' } }));
  });

  it('filters by hours shortfall over every page', async () => {
    const seen: RecordedRequest[] = [];
    const done = { ...engineer, id: 'UGVyc29uOjM=', name: '李达标', hours: { ...engineer.hours, counted: 121, shortfall: 0, met: true, outlook: 'MET' } };
    renderApp({
      path: '/employer/staff',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerStaff: (request) => {
          seen.push(request);
          if (request.variables.first === 100) {
            return request.variables.after
              ? { data: { persons: page([done], false, null, 3) } }
              : { data: { persons: page([engineer, newcomer], true, 'p1', 3) } };
          }
          return { data: { persons: page([engineer, newcomer, done]) } };
        },
        EmployerInvitations: noInvitations,
      },
    });
    await rowOf('李达标');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('学时情况'));
    await user.click(await screen.findByTitle('学时不足'));
    await waitFor(() => expect(screen.queryByText('李达标')).toBeNull());
    expect(screen.queryByText('王小明')).toBeNull();
    expect(screen.getByText('梁志强')).toBeInTheDocument();
    expect(screen.getByTestId('staff-total')).toHaveTextContent('共 1 人');
    expect(seen.filter((r) => r.variables.first === 100).map((r) => r.variables.after ?? null)).toEqual([null, 'p1']);
  });

  describe('export', () => {
    let blobs: Blob[];
    beforeEach(() => {
      blobs = [];
      URL.createObjectURL = vi.fn((b: Blob) => {
        blobs.push(b);
        return 'blob:staff';
      }) as typeof URL.createObjectURL;
      URL.revokeObjectURL = vi.fn();
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    });
    afterEach(() => vi.restoreAllMocks());

    it('downloads the filtered list as CSV with a BOM, paging through the connection', async () => {
      const seen: RecordedRequest[] = [];
      renderApp({
        path: '/employer/staff',
        tokens: tokenPair(),
        handlers: {
          Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
          EmployerStaff: (request) => {
            seen.push(request);
            if (request.variables.first === 100) {
              return request.variables.after
                ? { data: { persons: page([{ ...newcomer, name: '=cmd' }]) } }
                : { data: { persons: page([engineer], true, 'p1', 2) } };
            }
            return { data: { persons: page([engineer]) } };
          },
          EmployerInvitations: noInvitations,
        },
      });
      await rowOf('梁志强');
      await userEvent.setup().click(buttonOf(screen.getByText('导出CSV')));
      await waitFor(() => expect(blobs).toHaveLength(1));
      const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes.slice(3));
      const lines = text.split('\r\n');
      expect(lines[0]).toMatch(/^姓名,身份证号,注册状态/);
      expect(lines[1]).toMatch(/^梁志强,440604\*{8}4137,注册有效/);
      expect(lines[2]).toMatch(/^'=cmd,/);
      expect(seen.filter((r) => r.variables.first === 100)).toHaveLength(2);
    });
  });

  it('sends a 聘用邀请 and shows payload errors on the field', async () => {
    const seen: RecordedRequest[] = [];
    let attempt = 0;
    renderApp({
      path: '/employer/staff',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerStaff: staffHandler([engineer]),
        EmployerInvitations: noInvitations,
        EmploymentInvite: (request) => {
          seen.push(request);
          attempt += 1;
          if (attempt === 1) {
            return {
              data: {
                employmentInvite: {
                  invitation: null,
                  errors: [{ field: 'idNumber', code: 'ID_NUMBER_CHECKSUM', message: 'checksum' }],
                },
              },
            };
          }
          return {
            data: {
              employmentInvite: {
                invitation: { id: 'SW52OjE=', status: 'PENDING', startsOn: '2026-12-04', expiresOn: '2026-12-18' },
                errors: [],
              },
            },
          };
        },
      },
    });
    await rowOf('梁志强');
    const user = userEvent.setup();
    await user.click(buttonOf(screen.getByText('发出聘用邀请')));
    const dialog = await dialogWith('按身份证号码邀请人员受聘于本单位');
    const input = within(dialog).getByLabelText('身份证号码');
    await user.type(input, '4403051986');
    await user.click(buttonOf(within(dialog).getByText('发出邀请')));
    expect(await within(dialog).findByText('身份证号码应为18位（最后一位可为X）')).toBeInTheDocument();
    expect(seen).toHaveLength(0);

    await user.clear(input);
    await user.type(input, '440305198604121353');
    await user.click(buttonOf(within(dialog).getByText('发出邀请')));
    expect(await within(dialog).findByText('身份证号码校验位不正确')).toBeInTheDocument();
    expect(seen[0]?.variables).toMatchObject({
      input: { idNumber: '440305198604121353', socialInsurance: true },
    });
    expect((seen[0]?.variables.input as { startsOn: string }).startsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await user.click(buttonOf(within(dialog).getByText('发出邀请')));
    await waitFor(() => expect(seen).toHaveLength(2));
    expect(await screen.findByText('聘用邀请已发出，本人确认后将列入本单位人员')).toBeInTheDocument();
  });

  it('ends an employment after a confirmation that says it cannot be undone', async () => {
    const seen: RecordedRequest[] = [];
    let ended = false;
    renderApp({
      path: '/employer/staff',
      tokens: tokenPair(),
      handlers: {
        Viewer: { data: viewerData(['EMPLOYER_ADMIN']) },
        EmployerStaff: () => ({ data: { persons: page(ended ? [newcomer] : [engineer, newcomer]) } }),
        EmployerInvitations: noInvitations,
        EmploymentEnd: (request) => {
          seen.push(request);
          ended = true;
          return {
            data: {
              employmentEnd: {
                employment: { id: engineer.currentEmployment.id, endDate: request.variables.endDate, isCurrent: false },
                errors: [],
              },
            },
          };
        },
      },
    });
    const row = await rowOf('梁志强');
    const user = userEvent.setup();
    await user.click(within(row).getByLabelText('结束聘用 梁志强'));
    const dialog = await dialogWith('此操作不能撤销');
    expect(within(dialog).getByText('此操作不能撤销')).toBeInTheDocument();
    expect(dialog.textContent).toContain('将立即移出本单位人员');
    expect(within(dialog).getByText('聘用开始于2024年3月1日')).toBeInTheDocument();
    await user.click(buttonOf(within(dialog).getByText('确认结束聘用')));
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.variables).toMatchObject({ id: engineer.currentEmployment.id });
    expect(String(seen[0]?.variables.endDate)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await waitFor(() => expect(screen.queryByText('梁志强')).toBeNull());
    expect(screen.getByText('王小明')).toBeInTheDocument();
  });
});
