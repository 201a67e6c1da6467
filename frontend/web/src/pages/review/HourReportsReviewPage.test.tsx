import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderApp } from '../../test/renderApp';
import { tokenPair, viewerData } from '../../test/fixtures';
import type { GraphQLResponseBody, RecordedRequest } from '../../test/fakeApi';
import { evidenceKind } from './HourReportsReviewPage';

const report = (id: string, personName: string, courseTitle: string, evidenceUrl: string | null) => ({
  id,
  status: 'PENDING',
  personName,
  courseTitle,
  providerName: '省安全培训中心',
  subjectKind: 'PROFESSIONAL',
  specialty: 'CHEMICAL',
  hours: 8,
  recognisedOn: '2026-11-20',
  reference: 'ZS-2026-0012',
  reviewNote: null,
  evidenceUrl,
});

const PDF_URL = 'http://minio.local/regsafe/evidence/7/abc?X-Amz-Signature=1&response-content-type=application%2Fpdf';
const IMG_URL = 'http://minio.local/regsafe/evidence/8/photo.png?X-Amz-Signature=2';

const FIRST = report('SFI6MQ==', '林*', '危险化学品安全', PDF_URL);
const SECOND = report('SFI6Mg==', '王*', '应急救援实务', IMG_URL);

function connection(nodes: ReturnType<typeof report>[], hasNextPage = false, endCursor: string | null = null) {
  return {
    data: {
      pendingHourReports: {
        totalCount: nodes.length,
        pageInfo: { hasNextPage, endCursor },
        edges: nodes.map((node, i) => ({ cursor: `c${i}`, node })),
      },
    },
  };
}

type Handler = GraphQLResponseBody | ((r: RecordedRequest) => GraphQLResponseBody);

function openPage(handlers: Record<string, Handler>) {
  return renderApp({
    path: '/review/hours',
    tokens: tokenPair(),
    handlers: { Viewer: { data: viewerData(['PROVINCIAL_REVIEWER']) }, ...handlers },
  });
}

/** The list until a decision succeeds, then without the decided report. */
function listAfterDecision() {
  let decided = false;
  return {
    list: (): GraphQLResponseBody => connection(decided ? [SECOND] : [FIRST, SECOND]),
    decide: (payload: GraphQLResponseBody) => (): GraphQLResponseBody => {
      const errors = (payload.data as { hoursReview: { errors: unknown[] } } | undefined)?.hoursReview.errors;
      if (errors && errors.length === 0) decided = true;
      return payload;
    },
  };
}

const ok = (status: string, reviewNote: string | null = null): GraphQLResponseBody => ({
  data: { hoursReview: { record: { id: FIRST.id, status, reviewNote }, errors: [] } },
});

/** The table row of a report, by its 申报人 (role queries over the whole app are slow). */
async function rowOf(name: string): Promise<HTMLElement> {
  const cell = await screen.findByText(name, { selector: 'td' });
  const row = cell.closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

async function openDrawer(user: ReturnType<typeof userEvent.setup>, name = '林*') {
  const row = await rowOf(name);
  await user.click(within(row).getByText('审核'));
  return screen.findByRole('dialog');
}

const pager = (text: string) => screen.getByText(text).closest('button') as HTMLElement;

const gone = (name: string) => waitFor(() => expect(screen.queryByText(name, { selector: 'td' })).not.toBeInTheDocument());

describe('个人申报审核', () => {
  it('is in the reviewers menu and lists the pending reports with their columns', async () => {
    const { api } = openPage({ PendingHourReports: connection([FIRST, SECOND]) });
    expect(await screen.findByRole('heading', { name: '个人申报审核' })).toBeInTheDocument();
    expect(screen.getByText('个人申报审核', { selector: '.ant-menu-title-content' })).toBeInTheDocument();
    const row = await rowOf('林*');
    const head = row.closest('table')?.querySelector('thead');
    for (const header of ['申报人', '课程名称', '培训机构', '科目类型', '学时', '完成日期', '证明编号']) {
      expect(within(head as HTMLElement).getByText(header)).toBeInTheDocument();
    }
    for (const text of ['危险化学品安全', '省安全培训中心', '专业科目', '8', '2026-11-20', 'ZS-2026-0012']) {
      expect(within(row).getByText(text)).toBeInTheDocument();
    }
    expect(await rowOf('王*')).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'PendingHourReports')?.variables).toMatchObject({ first: 20, after: null });
  });

  it('pages on with the connection cursor and back', async () => {
    const { api } = openPage({
      PendingHourReports: (r) =>
        r.variables['after'] === 'END1' ? connection([SECOND]) : connection([FIRST], true, 'END1'),
    });
    const user = userEvent.setup();
    await rowOf('林*');
    expect(pager('上一页')).toBeDisabled();
    await user.click(pager('下一页'));
    expect(await rowOf('王*')).toBeInTheDocument();
    expect(api.requests.some((r) => r.operationName === 'PendingHourReports' && r.variables['after'] === 'END1')).toBe(true);
    expect(pager('下一页')).toBeDisabled();
    await user.click(pager('上一页'));
    expect(await rowOf('林*')).toBeInTheDocument();
  });

  it('shows the evidence inline with a download link, accepts with {id, accept: true} and drops the row', async () => {
    const state = listAfterDecision();
    const { api } = openPage({ PendingHourReports: state.list, HoursReview: state.decide(ok('ACCEPTED')) });
    const user = userEvent.setup();
    const drawer = await openDrawer(user);
    // A PDF (by the presigned URL's response-content-type): the PDF viewer, and 下载.
    expect(within(drawer).getByTestId('evidence-pdf')).toHaveAttribute('data', PDF_URL);
    expect(within(drawer).getByRole('link', { name: '下载' })).toHaveAttribute('href', PDF_URL);

    await user.click(within(drawer).getByRole('button', { name: '通过' }));
    expect(await screen.findByText('已通过，学时已计入')).toBeInTheDocument();
    const sent = api.requests.filter((r) => r.operationName === 'HoursReview');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.variables).toMatchObject({ id: FIRST.id, accept: true });
    await gone('林*');
    expect(await rowOf('王*')).toBeInTheDocument();
    expect(api.requests.filter((r) => r.operationName === 'PendingHourReports').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses 退回 without a note, without asking the server', async () => {
    const { api } = openPage({ PendingHourReports: connection([FIRST, SECOND]), HoursReview: ok('REJECTED') });
    const user = userEvent.setup();
    const drawer = await openDrawer(user);
    await user.click(within(drawer).getByRole('button', { name: '退回' }));
    expect(await within(drawer).findByText('退回须填写审核意见')).toBeInTheDocument();
    // Blanks are no note either.
    await user.type(within(drawer).getByLabelText('审核意见'), '   ');
    await user.click(within(drawer).getByRole('button', { name: '退回' }));
    expect(await within(drawer).findByText('退回须填写审核意见')).toBeInTheDocument();
    expect(api.names()).not.toContain('HoursReview');
  });

  it('returns with the note, and the row leaves the list', async () => {
    const state = listAfterDecision();
    const { api } = openPage({ PendingHourReports: state.list, HoursReview: state.decide(ok('REJECTED', '证明材料不清晰')) });
    const user = userEvent.setup();
    const drawer = await openDrawer(user);
    await user.type(within(drawer).getByLabelText('审核意见'), '证明材料不清晰');
    await user.click(within(drawer).getByRole('button', { name: '退回' }));
    expect(await screen.findByText('已退回申报')).toBeInTheDocument();
    expect(api.requests.find((r) => r.operationName === 'HoursReview')?.variables).toEqual({
      id: FIRST.id,
      accept: false,
      note: '证明材料不清晰',
    });
    await gone('林*');
  });

  it('shows the payload errors in Chinese and keeps the drawer open', async () => {
    const { api } = openPage({
      PendingHourReports: connection([FIRST, SECOND]),
      HoursReview: {
        data: { hoursReview: { record: null, errors: [{ field: 'id', code: 'ALREADY_REVIEWED', message: 'already reviewed' }] } },
      },
    });
    const user = userEvent.setup();
    const drawer = await openDrawer(user);
    const before = api.requests.filter((r) => r.operationName === 'PendingHourReports').length;
    await user.click(within(drawer).getByRole('button', { name: '通过' }));
    expect(await within(drawer).findByText('该申报已被审核，列表已刷新')).toBeInTheDocument();
    expect(screen.queryByText('already reviewed')).not.toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.requests.filter((r) => r.operationName === 'PendingHourReports').length).toBeGreaterThan(before),
    );
  });

  it('shows a top-level error in Chinese', async () => {
    openPage({
      PendingHourReports: connection([FIRST]),
      HoursReview: { errors: [{ message: 'forbidden', extensions: { code: 'FORBIDDEN' } }] },
    });
    const user = userEvent.setup();
    const drawer = await openDrawer(user);
    await user.type(within(drawer).getByLabelText('审核意见'), '不符合要求');
    await user.click(within(drawer).getByRole('button', { name: '退回' }));
    expect(await within(drawer).findByText('当前角色无权执行此操作')).toBeInTheDocument();
  });

  it('shows an image inline, and falls back to the PDF viewer when an untyped file is no image', async () => {
    const untyped = report('SFI6Mw==', '赵*', '安全生产法规', 'http://minio.local/regsafe/evidence/9/f00?X-Amz-Signature=3');
    openPage({ PendingHourReports: connection([SECOND, untyped]) });
    const user = userEvent.setup();
    let drawer = await openDrawer(user, '王*');
    expect(within(drawer).getByRole('img', { name: '证明材料' })).toHaveAttribute('src', IMG_URL);
    expect(within(drawer).getByRole('link', { name: '下载' })).toHaveAttribute('href', IMG_URL);
    await user.click(within(drawer).getByRole('button', { name: '关闭' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    drawer = await openDrawer(user, '赵*');
    const img = within(drawer).getByRole('img', { name: '证明材料' });
    fireEvent.error(img);
    expect(await within(drawer).findByTestId('evidence-pdf')).toBeInTheDocument();
    expect(within(drawer).getByRole('link', { name: '下载' })).toBeInTheDocument();
  });

  it('is refused to a registrant', async () => {
    renderApp({ path: '/review/hours', tokens: tokenPair(), handlers: { Viewer: { data: viewerData(['REGISTRANT']) } } });
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});

describe('evidenceKind', () => {
  it('reads the type from the path or the presigned response-content-type', () => {
    expect(evidenceKind('https://s3/x/cert.PDF?sig=1')).toBe('pdf');
    expect(evidenceKind('https://s3/x/a.jpeg?sig=1')).toBe('image');
    expect(evidenceKind('https://s3/x/a.png')).toBe('image');
    expect(evidenceKind('https://s3/x/k?response-content-type=image%2Fjpeg')).toBe('image');
    expect(evidenceKind('https://s3/x/k?response-content-type=application%2Fpdf')).toBe('pdf');
    expect(evidenceKind('https://s3/evidence/7/uuid?X-Amz-Signature=1')).toBe('unknown');
  });
});
