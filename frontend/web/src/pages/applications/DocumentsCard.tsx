/** 申请材料: each required kind with its upload, OCR status and OCR fields. */
import { Alert, Card, Flex, Space, Tag, Typography } from 'antd';
import type { ApplicationDetail, ApplicationDocumentDetail } from '../../registration/useApplication';
import { OCR_STATUS_LABELS } from '../../registration/labels';
import { formatSize, latestByKind, ocrStatusColor } from '../../registration/helpers';
import { DocumentUploader } from './DocumentUploader';
import { OcrFieldsEditor } from './OcrFieldsEditor';

function DocumentState({ document }: { document: ApplicationDocumentDetail }) {
  return (
    <Space size={8} wrap>
      {document.downloadUrl ? (
        <a href={document.downloadUrl} target="_blank" rel="noreferrer">
          {document.filename}
        </a>
      ) : (
        <span>{document.filename}</span>
      )}
      {document.size != null ? <Typography.Text type="secondary">{formatSize(document.size)}</Typography.Text> : null}
      {document.status === 'UPLOADING' ? <Tag color="processing">上传中</Tag> : null}
      {document.status === 'CONFIRMED' ? (
        <Tag color={ocrStatusColor(document.ocrStatus)} data-testid={`ocr-status-${document.kind}`}>
          {OCR_STATUS_LABELS[document.ocrStatus]}
        </Tag>
      ) : null}
      {document.ocrReason ? <Typography.Text type="danger">{document.ocrReason}</Typography.Text> : null}
    </Space>
  );
}

export function DocumentsCard({
  application,
  editable,
  onChanged,
}: {
  application: ApplicationDetail;
  editable: boolean;
  onChanged: () => void;
}) {
  const latest = latestByKind(application.documents);
  const missing = new Set<string>(application.missingDocuments);

  return (
    <Card title="申请材料">
      <Space orientation="vertical" size="large" className="full-width">
        {application.requiredDocuments.map((requirement) => {
          const document = latest.get(requirement.kind);
          return (
            <section key={requirement.kind} aria-label={requirement.name} className="document-section">
              <Flex justify="space-between" align="flex-start" gap={16} wrap>
                <Space orientation="vertical" size={4}>
                  <Space size={8}>
                    <Typography.Text strong>{requirement.name}</Typography.Text>
                    {missing.has(requirement.kind) ? <Tag color="orange">待上传</Tag> : <Tag color="green">已上传</Tag>}
                    {requirement.ocr ? <Tag>自动识别</Tag> : null}
                  </Space>
                  {document ? <DocumentState document={document} /> : null}
                </Space>
                {editable ? (
                  <DocumentUploader
                    applicationId={application.id}
                    kind={requirement.kind}
                    kindName={requirement.name}
                    onUploaded={onChanged}
                  />
                ) : null}
              </Flex>
              {document && document.status === 'CONFIRMED' && document.ocrStatus === 'DONE' ? (
                <div className="document-ocr">
                  <OcrFieldsEditor
                    key={`${document.id}-${document.confirmedAt ?? ''}`}
                    document={document}
                    editable={editable}
                    onConfirmed={onChanged}
                  />
                </div>
              ) : null}
              {document && document.ocrStatus === 'FAILED' ? (
                <Alert type="warning" showIcon title="自动识别失败，请核对材料后重新上传或在申请表中手工填写" />
              ) : null}
            </section>
          );
        })}
      </Space>
    </Card>
  );
}
