import { Button, Result } from 'antd';
import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useDocumentTitle } from '../components/useDocumentTitle';

export function NotFoundPage() {
  useDocumentTitle('页面不存在');
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}

export function ForbiddenPage() {
  useDocumentTitle('无权访问');
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="当前账号的角色无权访问此页面。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}

export function NoRolePage() {
  useDocumentTitle(null);
  return <Result status="info" title="账号尚未分配角色" subTitle="请联系系统管理员为您的账号分配角色后再使用本平台。" />;
}

/** Shown when rendering a route throws. */
export function RouteErrorPage() {
  const error = useRouteError();
  useDocumentTitle('出错了');
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="full-page-center">
      <Result
        status={notFound ? '404' : '500'}
        title={notFound ? '页面不存在' : '页面出错了'}
        subTitle={notFound ? '您访问的页面不存在。' : '请刷新页面重试；如问题持续，请联系系统管理员。'}
        extra={
          <Button type="primary" href="/">
            返回首页
          </Button>
        }
      />
    </div>
  );
}
