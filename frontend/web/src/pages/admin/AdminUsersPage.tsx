/**
 * 用户管理 (system administrators): search and filter accounts; create one with its
 * roles and scopes; edit; 重置密码 (the temporary password is shown once); 停用/启用 with
 * confirmation; the account's recent audit events in a drawer.
 */
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Alert,
  App,
  Button,
  Card,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TableProps } from 'antd';
import type { AdminUsersQuery, Role, ReviewScope } from '../../gql/graphql';
import { PageContainer } from '../../components/PageContainer';
import { describeError } from '../../api/errorMessages';
import { formErrors } from '../../forms/formErrors';
import { useViewer } from '../../app/ViewerContext';
import { REVIEW_SCOPE_LABELS, ROLE_LABELS } from '../../labels/enums';
import {
  AdminUsersQuery as UsersDocument,
  UserAuditEventsQuery,
  UserCreateMutation,
  UserLockMutation,
  UserPasswordResetMutation,
  UserUnlockMutation,
  UserUpdateMutation,
} from './operations';
import { AUDIT_ACTION_LABELS, accountInput, formatTime, scopeText } from './users';
import type { UserFormValues } from './users';

type Row = AdminUsersQuery['users']['edges'][number]['node'];

export const PAGE_SIZE = 50;
const ROLES = Object.keys(ROLE_LABELS) as Role[];
const FORM_FIELDS = [
  'username',
  'displayName',
  'password',
  'roles',
  'provinceCode',
  'reviewScope',
  'personId',
  'employerId',
] as const;

interface Filters {
  usernamePrefix: string;
  role: Role | null;
  isActive: boolean | null;
}

export function AdminUsersPage() {
  const { message, modal } = App.useApp();
  const { user: me } = useViewer();
  const [filters, setFilters] = useState<Filters>({ usernamePrefix: '', role: null, isActive: null });
  const variables = useMemo(
    () => ({
      first: PAGE_SIZE,
      filter: {
        usernamePrefix: filters.usernamePrefix || null,
        role: filters.role,
        isActive: filters.isActive,
      },
    }),
    [filters],
  );
  const [{ data, error, fetching }, refetch] = useQuery({ query: UsersDocument, variables });
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const [auditOf, setAuditOf] = useState<Row | null>(null);
  const [temporary, setTemporary] = useState<{ username: string; password: string } | null>(null);
  const [, resetPassword] = useMutation(UserPasswordResetMutation);
  const [, lock] = useMutation(UserLockMutation);
  const [, unlock] = useMutation(UserUnlockMutation);

  const reload = () => refetch({ requestPolicy: 'network-only' });

  const confirmReset = (row: Row) =>
    modal.confirm({
      title: `重置 ${row.displayName}（${row.username}）的密码？`,
      content: '将生成一次性临时密码，该用户的登录会话全部失效，下次登录须修改密码。',
      okText: '重置密码',
      cancelText: '取消',
      onOk: async () => {
        const result = await resetPassword({ id: row.id });
        const payload = result.data?.userPasswordReset;
        if (result.error) message.error(describeError(result.error));
        else if (payload?.errors.length) message.error(payload.errors[0]?.message ?? '操作失败');
        else if (payload?.temporaryPassword) {
          setTemporary({ username: row.username, password: payload.temporaryPassword });
          reload();
        }
      },
    });

  const confirmLock = (row: Row) =>
    modal.confirm({
      title: row.isActive ? `停用 ${row.displayName}（${row.username}）？` : `启用 ${row.displayName}（${row.username}）？`,
      content: row.isActive ? '停用后该用户无法登录，已登录的会话立即失效。' : '启用后该用户可以再次登录。',
      okText: row.isActive ? '停用' : '启用',
      okButtonProps: { danger: row.isActive },
      cancelText: '取消',
      onOk: async () => {
        const result = row.isActive ? await lock({ id: row.id }) : await unlock({ id: row.id });
        const payload = result.data && ('userLock' in result.data ? result.data.userLock : result.data.userUnlock);
        if (result.error) message.error(describeError(result.error));
        else if (payload?.errors.length) message.error(payload.errors[0]?.message ?? '操作失败');
        else {
          message.success(row.isActive ? '已停用' : '已启用');
          reload();
        }
      },
    });

  const columns: TableProps<Row>['columns'] = [
    { title: '用户名', dataIndex: 'username', key: 'username' },
    { title: '显示名称', dataIndex: 'displayName', key: 'displayName' },
    {
      title: '角色',
      key: 'roles',
      render: (_, row) => (
        <Space size={4} wrap>
          {row.roles.map((role) => (
            <Tag key={role}>{ROLE_LABELS[role]}</Tag>
          ))}
        </Space>
      ),
    },
    { title: '范围', key: 'scope', render: (_, row) => scopeText(row) },
    {
      title: '状态',
      key: 'state',
      render: (_, row) => (
        <Space size={4} wrap>
          {row.isActive ? <Tag color="success">启用</Tag> : <Tag color="error">已停用</Tag>}
          {row.mustChangePassword ? <Tag color="warning">待修改密码</Tag> : null}
        </Space>
      ),
    },
    { title: '上次登录', key: 'lastLoginAt', render: (_, row) => formatTime(row.lastLoginAt) },
    {
      title: '操作',
      key: 'actions',
      render: (_, row) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(row)}>
            编辑
          </Button>
          <Button type="link" size="small" onClick={() => confirmReset(row)}>
            重置密码
          </Button>
          <Button
            type="link"
            size="small"
            danger={row.isActive}
            disabled={row.id === me.id}
            onClick={() => confirmLock(row)}
          >
            {row.isActive ? '停用' : '启用'}
          </Button>
          <Button type="link" size="small" onClick={() => setAuditOf(row)}>
            操作记录
          </Button>
        </Space>
      ),
    },
  ];

  const rows = data?.users.edges.map((e) => e.node) ?? [];
  return (
    <PageContainer
      title="用户管理"
      description="账号、角色与范围；重置密码、停用与启用均记入审计日志。"
      extra={
        <Button type="primary" onClick={() => setEditing('new')}>
          新建用户
        </Button>
      }
    >
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label="用户名"
            placeholder="用户名前缀"
            allowClear
            style={{ width: 220 }}
            onSearch={(value) => setFilters((f) => ({ ...f, usernamePrefix: value.trim() }))}
          />
          <Select<Role>
            aria-label="角色"
            placeholder="全部角色"
            allowClear
            style={{ width: 160 }}
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            onChange={(role) => setFilters((f) => ({ ...f, role: role ?? null }))}
          />
          <Select<'active' | 'locked'>
            aria-label="状态"
            placeholder="全部状态"
            allowClear
            style={{ width: 140 }}
            options={[
              { value: 'active', label: '启用' },
              { value: 'locked', label: '已停用' },
            ]}
            onChange={(v) => setFilters((f) => ({ ...f, isActive: v === undefined ? null : v === 'active' }))}
          />
          <Typography.Text type="secondary" data-testid="users-total" style={{ alignSelf: 'center' }}>
            共 {data?.users.totalCount ?? 0} 个账号
          </Typography.Text>
        </Flex>
        {error ? <Alert type="error" showIcon title={describeError(error)} style={{ marginBottom: 16 }} /> : null}
        <Table<Row> rowKey="id" columns={columns} dataSource={rows} loading={fetching} pagination={false} />
      </Card>
      {editing ? (
        <UserFormModal
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      ) : null}
      <Modal
        open={temporary !== null}
        title="临时密码"
        onCancel={() => setTemporary(null)}
        footer={
          <Button type="primary" onClick={() => setTemporary(null)}>
            我已记下
          </Button>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {temporary?.username} 的临时密码只显示这一次，请通过安全渠道告知本人；下次登录须修改密码。
          </Typography.Text>
          <Typography.Paragraph copyable={{ text: temporary?.password ?? '' }} code data-testid="temporary-password">
            {temporary?.password}
          </Typography.Paragraph>
        </Space>
      </Modal>
      <AuditDrawer user={auditOf} onClose={() => setAuditOf(null)} />
    </PageContainer>
  );
}

function UserFormModal({ user, onClose, onSaved }: { user: Row | null; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [alerts, setAlerts] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const [, create] = useMutation(UserCreateMutation);
  const [, update] = useMutation(UserUpdateMutation);
  const roles = Form.useWatch('roles', form) ?? [];
  const reviewer = roles.includes('PROVINCIAL_REVIEWER');
  const provincial = reviewer || roles.includes('ANALYST');
  const unit = roles.includes('EMPLOYER_ADMIN') || roles.includes('TRAINER');
  const registrant = roles.includes('REGISTRANT');

  const initial: Partial<UserFormValues> = user
    ? {
        displayName: user.displayName,
        roles: user.roles,
        provinceCode: user.provinceCode ?? '',
        reviewScope: user.reviewScope ?? undefined,
        personId: user.person?.id ?? '',
        employerId: user.employer?.id ?? '',
      }
    : { roles: [] };

  const submit = async (values: UserFormValues) => {
    setSaving(true);
    setAlerts([]);
    const scopes = accountInput(values);
    const result = user
      ? await update({ id: user.id, input: { displayName: values.displayName, ...scopes } })
      : await create({
          input: {
            username: values.username ?? '',
            displayName: values.displayName,
            password: values.password ?? '',
            ...scopes,
          },
        });
    setSaving(false);
    if (result.error) {
      setAlerts([describeError(result.error)]);
      return;
    }
    const payload = result.data && ('userCreate' in result.data ? result.data.userCreate : result.data.userUpdate);
    if (payload?.errors.length) {
      const { fields, messages } = formErrors<UserFormValues>(payload.errors, { fields: FORM_FIELDS });
      form.setFields(fields);
      setAlerts(messages);
      return;
    }
    message.success(user ? '已保存' : '已创建');
    onSaved();
  };

  return (
    <Modal
      open
      title={user ? `编辑用户 ${user.username}` : '新建用户'}
      okText={user ? '保存' : '创建'}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {alerts.map((text) => (
        <Alert key={text} type="error" showIcon title={text} style={{ marginBottom: 12 }} />
      ))}
      <Form<UserFormValues> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        {user ? null : (
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="off" maxLength={64} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label="显示名称" rules={[{ required: true, message: '请输入显示名称' }]}>
          <Input maxLength={64} />
        </Form.Item>
        {user ? null : (
          <Form.Item
            name="password"
            label="初始密码"
            extra="至少10个字符，包含大写字母、小写字母、数字、符号中的至少三类"
            rules={[{ required: true, message: '请输入初始密码' }]}
          >
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
        )}
        <Form.Item name="roles" label="角色" rules={[{ required: true, message: '请至少选择一个角色' }]}>
          <Select<Role[]>
            mode="multiple"
            aria-label="角色"
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          />
        </Form.Item>
        {reviewer ? (
          <Form.Item name="reviewScope" label="初审队列" extra="默认为省级应急管理部门">
            <Select<ReviewScope>
              allowClear
              options={(Object.keys(REVIEW_SCOPE_LABELS) as ReviewScope[]).map((s) => ({
                value: s,
                label: REVIEW_SCOPE_LABELS[s],
              }))}
            />
          </Form.Item>
        ) : null}
        {provincial ? (
          <Form.Item name="provinceCode" label="省份代码" extra="如 440000（广东省）">
            <Input maxLength={6} />
          </Form.Item>
        ) : null}
        {unit ? (
          <Form.Item name="employerId" label="所属单位 ID" extra="单位管理中的单位编号">
            <Input />
          </Form.Item>
        ) : null}
        {registrant ? (
          <Form.Item name="personId" label="关联人员 ID" extra="人员管理中的人员编号">
            <Input />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}

function AuditDrawer({ user, onClose }: { user: Row | null; onClose: () => void }) {
  const [{ data, fetching, error }] = useQuery({
    query: UserAuditEventsQuery,
    variables: { id: user?.id ?? '', first: 20 },
    pause: user === null,
    requestPolicy: 'network-only',
  });
  const node = data?.node && 'recentAuditEvents' in data.node ? data.node : null;
  const events = node?.recentAuditEvents ?? [];
  return (
    <Drawer open={user !== null} onClose={onClose} title={user ? `${user.displayName} 的操作记录` : ''} size="large">
      {error ? <Alert type="error" showIcon title={describeError(error)} /> : null}
      <Table
        rowKey={(e) => `${e.at}-${e.action}-${e.subjectId}`}
        loading={fetching}
        dataSource={events}
        pagination={false}
        locale={{ emptyText: '暂无操作记录' }}
        columns={[
          { title: '时间', key: 'at', render: (_, e) => formatTime(e.at) },
          { title: '操作', key: 'action', render: (_, e) => AUDIT_ACTION_LABELS[e.action] ?? e.action },
          { title: '对象', key: 'subject', render: (_, e) => `${e.subjectType} #${e.subjectId}` },
        ]}
      />
    </Drawer>
  );
}

