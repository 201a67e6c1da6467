/** 资格审查 results (checks or flags) as a list of tags with explanations. */
import { List, Space, Tag } from 'antd';
import type { CheckResult } from '../gql/graphql';
import { CHECK_RESULT_LABELS } from './labels';
import { checkColor } from './helpers';

export interface CheckItem {
  code: string;
  result: CheckResult;
  explanation: string;
}

export function ChecksList({ checks, empty }: { checks: readonly CheckItem[]; empty: string }) {
  return (
    <List
      size="small"
      bordered
      dataSource={[...checks]}
      locale={{ emptyText: empty }}
      renderItem={(check) => (
        <List.Item>
          <Space size={8} align="start">
            <Tag color={checkColor(check.result)}>{CHECK_RESULT_LABELS[check.result]}</Tag>
            <span>{check.explanation}</span>
          </Space>
        </List.Item>
      )}
    />
  );
}
