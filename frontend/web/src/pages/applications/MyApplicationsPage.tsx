import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { Alert, App, Button, Card, Form, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { ApplicationCreateDocument, MyApplicationsDocument, MyEmploymentDocument } from '../../gql/graphql';
import type { ApplicationKind, MyApplicationsQuery, Specialty } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { KIND_LABELS, SPECIALTY_LABELS } from '../../registration/labels';
import { formatDateTime } from '../../registration/helpers';

type Row = MyApplicationsQuery['myApplications']['edges'][number]['node'];

const KIND_OPTIONS = (Object.keys(KIND_LABELS) as ApplicationKind[]).map((value) => ({
  value,
  label: KIND_LABELS[value],
}));
const SPECIALTY_OPTIONS = (Object.keys(SPECIALTY_LABELS) as Specialty[]).map((value) => ({
  value,
  label: SPECIALTY_LABELS[value],
}));

const COLUMNS: TableProps<Row>['columns'] = [
  {
    key: 'kind',
    title: '注册类型',
    render: (_, row) => <Link to={`/applications/${encodeURIComponent(row.id)}`}>{KIND_LABELS[row.kind]}</Link>,
  },
  { key: 'specialty', title: '专业类别', render: (_, row) => SPECIALTY_LABELS[row.specialty] },
  { key: 'employer', title: '聘用单位', render: (_, row) => row.employer.name },
  { key: 'status', title: '状态', render: (_, row) => <Tag color="blue">{row.statusName}</Tag> },
  { key: 'submittedAt', title: '提交时间', render: (_, row) => formatDateTime(row.submittedAt) || '未提交' },
  {
    key: 'actions',
    title: '操作',
    render: (_, row) => <Link to={`/applications/${encodeURIComponent(row.id)}`}>查看</Link>,
  },
];

interface CreateValues {
  kind: ApplicationKind;
  specialty: Specialty;
}

function CreateApplicationModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<CreateValues>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [{ data: employment }] = useQuery({ query: MyEmploymentDocument });
  const [{ fetching }, create] = useMutation(ApplicationCreateDocument);
  const [alerts, setAlerts] = useState<string[]>([]);
  const person = employment?.viewer.person;
  const employer = person?.currentEmployment?.employer ?? null;

  // The person may load after the dialog opened: fill the specialty then, unless chosen.
  useEffect(() => {
    if (open && person?.specialty && !form.getFieldValue('specialty')) {
      form.setFieldsValue({ specialty: person.specialty });
    }
  }, [open, person?.specialty, form]);

  const submit = async (values: CreateValues) => {
    setAlerts([]);
    if (!employer) {
      setAlerts(['当前没有在职聘用记录，无法申请注册']);
      return;
    }
    const result = await create({ input: { kind: values.kind, specialty: values.specialty, employerId: employer.id } });
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data?.applicationCreate;
    if (payload?.application) {
      message.success('申请已创建');
      onClose();
      navigate(`/applications/${encodeURIComponent(payload.application.id)}`);
      return;
    }
    const { fields, messages } = formErrors<CreateValues>(payload?.errors ?? [], { fields: ['kind', 'specialty'] });
    form.setFields(fields);
    setAlerts(messages);
  };

  return (
    <Modal
      open={open}
      title="新建申请"
      okText="创建申请"
      cancelText="取消"
      confirmLoading={fetching}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<CreateValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: 'INITIAL', specialty: person?.specialty ?? undefined }}
        preserve={false}
      >
        {alerts.map((text) => (
          <Alert key={text} type="error" showIcon title={text} className="form-alert" />
        ))}
        <Form.Item name="kind" label="注册类型" rules={[{ required: true, message: '请选择注册类型' }]}>
          <Select options={KIND_OPTIONS} aria-label="注册类型" />
        </Form.Item>
        <Form.Item name="specialty" label="专业类别" rules={[{ required: true, message: '请选择专业类别' }]}>
          <Select options={SPECIALTY_OPTIONS} aria-label="专业类别" placeholder="请选择专业类别" />
        </Form.Item>
        <Form.Item label="聘用单位">
          {employer ? (
            <Typography.Text>{employer.name}</Typography.Text>
          ) : (
            <Typography.Text type="warning">当前没有在职聘用记录</Typography.Text>
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 我的申请: the registrant's applications and 新建申请. */
export function MyApplicationsPage() {
  const [{ data, error, fetching }] = useQuery({ query: MyApplicationsDocument, requestPolicy: 'cache-and-network' });
  const [creating, setCreating] = useState(false);
  const rows = data?.myApplications.edges.map((edge) => edge.node) ?? [];

  return (
    <PageContainer
      title="我的申请"
      description="注册申请的办理进度。新建申请后上传材料、填写申请表并提交。"
      extra={
        <Button type="primary" onClick={() => setCreating(true)}>
          新建申请
        </Button>
      }
    >
      <Space orientation="vertical" size="large" className="full-width">
        {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
        <Card>
          <Table<Row>
            rowKey="id"
            columns={COLUMNS}
            dataSource={rows}
            loading={fetching && !data}
            pagination={false}
            locale={{ emptyText: '暂无申请' }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
      </Space>
      <CreateApplicationModal open={creating} onClose={() => setCreating(false)} />
    </PageContainer>
  );
}
