import dayjs from 'dayjs';
import { Card, Descriptions, Empty, Grid, Space, Tag, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useViewer } from '../app/ViewerContext';
import { GENDER_LABELS, ROLE_LABELS } from '../labels/enums';
import { PageContainer } from '../components/PageContainer';


/** "1986-04-12" → "1986年4月12日" (the date as given, no time-zone shift). */
export function formatDate(isoDate: string): string {
  const date = dayjs(isoDate);
  return date.isValid() ? date.format('YYYY年M月D日') : isoDate;
}

const COLUMNS = { xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 3 } as const;
const DESCRIPTION_STYLES = { label: { whiteSpace: 'nowrap' } } as const;

/** 我的信息: the registrant's own person record (ID number masked) and account. */
export function ProfilePage() {
  const { user, person } = useViewer();
  // Narrow screens: labels above values, so the values keep the width.
  const layout = Grid.useBreakpoint().sm === false ? 'vertical' : 'horizontal';

  const personItems: DescriptionsProps['items'] = person
    ? [
        { key: 'name', label: '姓名', children: person.name },
        { key: 'gender', label: '性别', children: GENDER_LABELS[person.gender] },
        { key: 'birthDate', label: '出生日期', children: person.birthDate ? formatDate(person.birthDate) : '—' },
        {
          key: 'idNumber',
          label: '身份证号码',
          children: (
            <Space size={8} wrap>
              <span className="id-number" data-testid="id-number-masked">
                {person.idNumberMasked}
              </span>
              <Typography.Text type="secondary">（已脱敏）</Typography.Text>
            </Space>
          ),
        },
        { key: 'regionCode', label: '行政区划代码', children: person.regionCode },
      ]
    : [];

  const accountItems: DescriptionsProps['items'] = [
    { key: 'username', label: '用户名', children: user.username },
    { key: 'displayName', label: '显示名称', children: user.displayName },
    {
      key: 'roles',
      label: '角色',
      children: (
        <Space size={[4, 4]} wrap>
          {user.roles.map((role) => (
            <Tag key={role} color="blue">
              {ROLE_LABELS[role]}
            </Tag>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer title="我的信息" description="本人登记信息与账号信息。如需更正登记信息，请联系所在省级主管部门。">
      <Space orientation="vertical" size="large" className="full-width">
        <Card title="基本信息">
          {person ? (
            <Descriptions bordered column={COLUMNS} items={personItems} styles={DESCRIPTION_STYLES} layout={layout} />
          ) : (
            <Empty description="当前账号尚未关联人员登记信息" />
          )}
        </Card>
        <Card title="账号信息">
          <Descriptions bordered column={COLUMNS} items={accountItems} styles={DESCRIPTION_STYLES} layout={layout} />
        </Card>
      </Space>
    </PageContainer>
  );
}
