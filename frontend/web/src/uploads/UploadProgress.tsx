/**
 * The visible state of one useUpload: a progress bar while it runs (with 取消), the
 * error with 重试 when it failed, nothing when idle. The page keeps its own picker
 * (antd Upload or a plain file input), since each page picks files its own way.
 */
import { Alert, Button, Flex, Progress, Typography } from 'antd';
import type { UploadState } from './useUpload';

export interface UploadProgressProps {
  /** A useUpload (any slot and result). */
  upload: { state: UploadState; cancel: () => void; retry: () => unknown };
  /** The progress bar's accessible name, e.g. `身份证上传进度`. */
  label?: string;
  /** Show the failure here (off when the page shows it elsewhere, e.g. above its form). */
  showError?: boolean;
  /** Keep a full green bar after success (off: the bar goes once done). */
  showDone?: boolean;
}

const RUNNING_TEXT = { requesting: '正在申请上传…', confirming: '正在校验文件…' } as const;

export function UploadProgress({ upload, label = '上传进度', showError = true, showDone = false }: UploadProgressProps) {
  const { state } = upload;
  if (state.phase === 'idle' || (state.phase === 'done' && !showDone)) return null;
  if (state.phase === 'failed') {
    if (!showError) return null;
    return (
      <Alert
        type={state.code === 'CANCELLED' ? 'info' : 'error'}
        showIcon
        title={state.filename ? `${state.filename}：${state.message}` : state.message}
        action={
          state.filename ? (
            <Button size="small" onClick={() => void upload.retry()}>
              重试
            </Button>
          ) : null
        }
      />
    );
  }
  const percent = state.phase === 'uploading' ? state.percent : state.phase === 'requesting' ? 0 : 100;
  const cancellable = state.phase === 'requesting' || state.phase === 'uploading';
  return (
    <Flex align="center" gap={8} className="full-width">
      <Progress
        percent={percent}
        size="small"
        status={state.phase === 'done' ? 'success' : 'active'}
        aria-label={label}
        style={{ flex: 1, marginBottom: 0 }}
      />
      {state.phase === 'requesting' || state.phase === 'confirming' ? (
        <Typography.Text type="secondary">{RUNNING_TEXT[state.phase]}</Typography.Text>
      ) : null}
      {cancellable ? (
        <Button size="small" onClick={upload.cancel}>
          取消
        </Button>
      ) : null}
    </Flex>
  );
}
