import type { ReactNode } from 'react';
import { Flex, Typography } from 'antd';
import { useDocumentTitle } from './useDocumentTitle';

export interface PageContainerProps {
  title: string;
  /** A line under the title. */
  description?: ReactNode;
  /** Actions at the right of the title. */
  extra?: ReactNode;
  children: ReactNode;
}

/** The frame of every page in the shell: a heading (also the document title) and content. */
export function PageContainer({ title, description, extra, children }: PageContainerProps) {
  useDocumentTitle(title);
  return (
    <section className="page" aria-labelledby="page-title">
      <Flex className="page-header" justify="space-between" align="flex-start" gap={16} wrap>
        <div>
          <Typography.Title level={3} id="page-title" className="page-title">
            {title}
          </Typography.Title>
          {description ? <Typography.Text type="secondary">{description}</Typography.Text> : null}
        </div>
        {extra}
      </Flex>
      <div className="page-body">{children}</div>
    </section>
  );
}
