#!/bin/sh
# One-shot (compose service `minio-init`, image minio/mc): creates the bucket and a
# least-privilege MinIO user for the app, so the API and worker never hold the root
# credentials. Idempotent: re-running it (every `docker compose up`) changes nothing,
# except that a changed REGSAFE_S3_SECRET_KEY in deploy/minio.env becomes the user's
# new secret (how the app credential is rotated; see docs/deployment.md).
set -eu
: "${MINIO_ROOT_USER:?set in deploy/minio.env}"
: "${MINIO_ROOT_PASSWORD:?set in deploy/minio.env}"
: "${REGSAFE_S3_ACCESS_KEY:?set in deploy/minio.env}"
: "${REGSAFE_S3_SECRET_KEY:?set in deploy/minio.env}"
bucket=${REGSAFE_S3_BUCKET:-regsafe}
policy=regsafe-app

mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null
mc mb --ignore-existing "local/$bucket" >/dev/null
mc anonymous set none "local/$bucket" >/dev/null

cat >/tmp/regsafe-app-policy.json <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      "Resource": ["arn:aws:s3:::$bucket"]
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                 "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      "Resource": ["arn:aws:s3:::$bucket/*"]
    }
  ]
}
JSON
mc admin policy create local "$policy" /tmp/regsafe-app-policy.json >/dev/null
mc admin user add local "$REGSAFE_S3_ACCESS_KEY" "$REGSAFE_S3_SECRET_KEY" >/dev/null
if ! mc admin user info local "$REGSAFE_S3_ACCESS_KEY" | grep -q "PolicyName:.*$policy"; then
  mc admin policy attach local "$policy" --user "$REGSAFE_S3_ACCESS_KEY" >/dev/null
fi
echo "minio-init: bucket '$bucket' and user '$REGSAFE_S3_ACCESS_KEY' (policy $policy) ready"
