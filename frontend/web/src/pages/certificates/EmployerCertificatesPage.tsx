import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Button, Card, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { EmployerCertificatesDocument } from '../../gql/graphql';
import type { CertificateStatus, EmployerCertificatesQuery } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formatChineseDate } from '../../education/helpers';
import { SPECIALTY_LABELS } from '../../registration/labels';
import { CERTIFICATE_KIND_LABELS, CERTIFICATE_STATUS_COLORS, CERTIFICATE_STATUS_LABELS } from '../../certificates/labels';
import { formatChineseDay } from '../../certificates/helpers';

type Row = EmployerCertificatesQuery['employerCertificates']['edges'][number]['node'];

const PAGE_SIZE = 20;

const STATUS_OPTIONS = (Object.keys(CERTIFICATE_STATUS_LABELS) as CertificateStatus[]).map((value) => ({
  value,
  label: CERTIFICATE_STATUS_LABELS[value],
}));

const COLUMNS: TableProps<Row>['columns'] = [
  {
    key: 'number',
    title: '证书编号',
    render: (_, c) => <Link to={`/verify/${encodeURIComponent(c.number)}`}>{c.number}</Link>,
  },
  { key: 'holder', title: '持证人', render: (_, c) => c.holderNameMasked },
  { key: 'id', title: '身份证号', render: (_, c) => c.idNumberMasked },
  { key: 'specialty', title: '专业类别', render: (_, c) => SPECIALTY_LABELS[c.specialty] },
  { key: 'kind', title: '签发类型', render: (_, c) => CERTIFICATE_KIND_LABELS[c.kind] },
  {
    key: 'validity',
    title: '有效期',
    render: (_, c) => `${formatChineseDate(c.validFrom)}至${formatChineseDate(c.validUntil)}`,
  },
  {
    key: 'status',
    title: '状态',
    render: (_, c) => (
      <Space orientation="vertical" size={0}>
        <Tag color={CERTIFICATE_STATUS_COLORS[c.status]}>{CERTIFICATE_STATUS_LABELS[c.status]}</Tag>
        {c.endReason ? (
          <Typography.Text type="secondary">
            {formatChineseDay(c.endedAt)} {c.endReason}
          </Typography.Text>
        ) : null}
      </Space>
    ),
  },
  {
    key: 'pdf',
    title: '证书PDF',
    render: (_, c) =>
      c.pdfReady && c.pdfUrl ? (
        <a href={c.pdfUrl} target="_blank" rel="noreferrer">
          下载
        </a>
      ) : (
        '—'
      ),
  },
];

/** 本单位人员证书 (employer admin): the staff's certificates, filtered by status. */
export function EmployerCertificatesPage() {
  const [status, setStatus] = useState<CertificateStatus | null>(null);
  // Cursors of the pages before the current one; the last is the current page's `after`.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1];
  const [{ data, error, fetching }] = useQuery({
    query: EmployerCertificatesDocument,
    variables: { status, first: PAGE_SIZE, after },
    requestPolicy: 'cache-and-network',
  });
  const page = data?.employerCertificates;

  return (
    <PageContainer title="本单位人员证书" description="本单位注册安全工程师的注册证书；撤销、注销或过期的证书请及时核实。">
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Flex gap={16} align="center" wrap style={{ marginBottom: 16 }}>
            <label htmlFor="certificate-status-filter">证书状态</label>
            <Select<CertificateStatus>
              id="certificate-status-filter"
              aria-label="证书状态"
              allowClear
              placeholder="全部状态"
              style={{ width: 180 }}
              value={status ?? undefined}
              options={STATUS_OPTIONS}
              onChange={(value) => {
                setStatus(value ?? null);
                setCursors([null]);
              }}
            />
            {page ? <Typography.Text type="secondary">共 {page.totalCount} 本</Typography.Text> : null}
          </Flex>
          <Table<Row>
            rowKey="id"
            size="small"
            loading={fetching}
            pagination={false}
            columns={COLUMNS}
            dataSource={page?.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: '暂无证书' }}
          />
          <Flex justify="flex-end" gap={8} style={{ marginTop: 16 }}>
            <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              上一页
            </Button>
            <Button
              disabled={!page?.pageInfo.hasNextPage}
              onClick={() => setCursors((c) => [...c, page?.pageInfo.endCursor ?? null])}
            >
              下一页
            </Button>
          </Flex>
        </Card>
      </Space>
    </PageContainer>
  );
}
