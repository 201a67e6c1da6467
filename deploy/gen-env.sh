#!/usr/bin/env bash
# Writes deploy/postgres.env, deploy/minio.env and deploy/regsafe.env with fresh random
# secrets that agree with each other (the DB password, the app's MinIO user). Files are
# mode 0600 and ignored by git. Refuses to overwrite: rotating a secret of a running
# stack is a deliberate step (docs/deployment.md), not a re-run of this script.
#   usage: deploy/gen-env.sh [DIR]        (DIR defaults to deploy/)
set -euo pipefail
dir=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
umask 077
for f in postgres.env minio.env regsafe.env; do
  if [[ -e "$dir/$f" ]]; then
    echo "gen-env: $dir/$f exists; not overwriting any file" >&2
    exit 1
  fi
done
b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

pg_password=$(hex 24)
s3_secret=$(hex 24)
mkdir -p "$dir"
cat >"$dir/postgres.env" <<ENV
POSTGRES_PASSWORD=$pg_password
ENV
cat >"$dir/minio.env" <<ENV
MINIO_ROOT_USER=regsafe-root
MINIO_ROOT_PASSWORD=$(hex 24)
REGSAFE_S3_ACCESS_KEY=regsafe-app
REGSAFE_S3_SECRET_KEY=$s3_secret
ENV
cat >"$dir/regsafe.env" <<ENV
REGSAFE_DATABASE_URL=postgresql://regsafe:$pg_password@postgres:5432/regsafe
REGSAFE_S3_ACCESS_KEY=regsafe-app
REGSAFE_S3_SECRET_KEY=$s3_secret
REGSAFE_SECRET_KEY=$(b64 32)
REGSAFE_DATA_KEYS=k1:$(b64 32)
REGSAFE_DATA_KEY_ID=k1
REGSAFE_BLIND_INDEX_KEY=$(b64 32)
ENV
echo "gen-env: wrote $dir/{postgres,minio,regsafe}.env -- back them up somewhere safe:"
echo "         losing REGSAFE_DATA_KEYS or REGSAFE_BLIND_INDEX_KEY loses the encrypted data."
