/** Uploads (DESIGN.md §6): one hook and one progress component for every page that uploads. */
export { useUpload, step } from './useUpload';
export type { Slot, StepResult, UploadConfig, UploadDone, UploadFailure, UploadOutcome, UploadState, UseUpload } from './useUpload';
export { UploadProgress } from './UploadProgress';
export type { UploadProgressProps } from './UploadProgress';
export { PutError, contentTypeOf, putFile } from './putFile';
export type { PutOptions } from './putFile';
export { IMAGES_AND_PDF, PDF_MATERIAL, VIDEO_MATERIAL, acceptOf, describeTypes, limitText, precheck } from './limits';
export type { UploadLimits } from './limits';
export { useUploadConfirm } from './confirm';
export type { UploadConfirmed } from './confirm';
export { UPLOAD_ERROR_MESSAGES, uploadErrorMessage } from './messages';
