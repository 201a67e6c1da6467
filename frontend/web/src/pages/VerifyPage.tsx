import { Card, Result } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { BrandMark } from '../components/BrandMark';
import { PRODUCT_NAME, useDocumentTitle } from '../components/useDocumentTitle';

/** 证书查验 (public): check a certificate by its QR payload or number. Placeholder for now. */
export function VerifyPage() {
  useDocumentTitle('证书查验');
  return (
    <div className="public-page">
      <header className="public-header">
        <BrandMark />
        <span className="app-brand-name">{PRODUCT_NAME}</span>
      </header>
      <main className="public-main">
        <Card>
          <Result
            icon={<SafetyCertificateOutlined />}
            title="证书查验"
            subTitle="功能建设中：即将支持扫描证书二维码或输入证书编号，在线核验注册安全工程师证书的真实性与有效状态。"
            extra={<Link to="/login">返回登录</Link>}
          />
        </Card>
      </main>
    </div>
  );
}
