import { Card, Result } from 'antd';
import { ToolOutlined } from '@ant-design/icons';
import { PageContainer } from '../components/PageContainer';

/** A page of the menu whose feature is not built yet. */
export function UnderConstruction({ title }: { title: string }) {
  return (
    <PageContainer title={title}>
      <Card>
        <Result icon={<ToolOutlined />} title="功能建设中" subTitle={`“${title}”即将上线，敬请期待。`} />
      </Card>
    </PageContainer>
  );
}
