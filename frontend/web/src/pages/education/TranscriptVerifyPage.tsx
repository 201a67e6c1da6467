import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { Alert, Button, Card, Descriptions, Form, Input, Result, Space, Typography, Upload } from 'antd';
import { FileSearchOutlined } from '@ant-design/icons';
import { TranscriptVerificationDocument } from '../../gql/graphql';
import { BrandMark } from '../../components/BrandMark';
import { PRODUCT_NAME, useDocumentTitle } from '../../components/useDocumentTitle';
import { formatChineseDate, formatHours } from '../../education/helpers';
import { formatDateTime } from '../../registration/helpers';
import { normalizeCode, sha256Hex } from '../../education/sha256';

/**
 * 学时证明核验 (public, no sign-in): the verification code printed on a transcript (also
 * reached from its QR code) shows what the platform issued; choosing the PDF compares
 * its SHA-256, computed in the browser, with the one recorded at issue.
 */
export function TranscriptVerifyPage() {
  useDocumentTitle('学时证明核验');
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const cleaned = normalizeCode(code);
  const [{ data, fetching, error }] = useQuery({
    query: TranscriptVerificationDocument,
    variables: { code: cleaned },
    pause: cleaned === '',
  });
  const [fileHash, setFileHash] = useState<string | null>(null);
  const result = data?.transcriptVerification;

  return (
    <div className="public-page">
      <header className="public-header">
        <BrandMark />
        <span className="app-brand-name">{PRODUCT_NAME}</span>
      </header>
      <main className="public-main">
        <Card title="学时证明核验">
          <Form
            layout="inline"
            initialValues={{ code: cleaned }}
            onFinish={({ code: typed }: { code: string }) => {
              setFileHash(null);
              navigate(`/verify/transcript/${encodeURIComponent(normalizeCode(typed))}`);
            }}
          >
            <Form.Item
              name="code"
              label="验证码"
              rules={[{ required: true, message: '请输入学时证明上的验证码' }]}
            >
              <Input placeholder="12位验证码" maxLength={16} allowClear />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={fetching}>
                核验
              </Button>
            </Form.Item>
          </Form>
        </Card>
        {error && <Alert type="error" showIcon message="暂时无法核验，请稍后重试" />}
        {result && !result.valid && (
          <Result status="warning" title="未找到该学时证明" subTitle={`验证码 ${cleaned} 不是本平台出具的学时证明。`} />
        )}
        {result?.valid && (
          <Card>
            <Result
              status="success"
              icon={<FileSearchOutlined />}
              title="本平台出具的学时证明"
              subTitle="以下为出具时记录的信息；请核对手中文件的内容与指纹。"
            />
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="持有人">{result.holderName}</Descriptions.Item>
              <Descriptions.Item label="统计期间">
                {formatChineseDate(result.cycleStart)}至{formatChineseDate(result.cycleEnd)}（含）
              </Descriptions.Item>
              <Descriptions.Item label="专业科目学时">{formatHours(result.earnedProfessional ?? 0)}</Descriptions.Item>
              <Descriptions.Item label="公需科目学时">{formatHours(result.earnedGeneral ?? 0)}</Descriptions.Item>
              <Descriptions.Item label="记录条数">{result.recordCount}</Descriptions.Item>
              <Descriptions.Item label="出具时间">{formatDateTime(result.issuedAt)}</Descriptions.Item>
              <Descriptions.Item label="文件指纹 (SHA-256)">
                <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                  {result.sha256}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Space orientation="vertical" style={{ marginTop: 16, width: '100%' }}>
              <Upload
                accept="application/pdf"
                showUploadList={false}
                beforeUpload={async (file) => {
                  setFileHash(await sha256Hex(await file.arrayBuffer()));
                  return false;
                }}
              >
                <Button>选择手中的PDF文件比对指纹</Button>
              </Upload>
              {fileHash &&
                (fileHash === result.sha256 ? (
                  <Alert type="success" showIcon message="文件指纹一致：该文件与平台出具的学时证明完全相同。" />
                ) : (
                  <Alert
                    type="error"
                    showIcon
                    message="文件指纹不一致：该文件不是平台出具的原件，或已被修改。"
                    description={`所选文件的指纹：${fileHash}`}
                  />
                ))}
            </Space>
          </Card>
        )}
      </main>
    </div>
  );
}
