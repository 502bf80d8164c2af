#!/bin/sh
# Once per compose project, into its own volume: a keyring of random keys (never one from this
# repository), and an API token for the promotion service with its SHA-256 in the token file.
set -eu
umask 077
cd /var/lib/vault-replicator
if [ ! -f keyring ]; then
  printf 'current = k1\nkey.k1 = %s\n' "$(head -c 32 /dev/urandom | base64)" > keyring
fi
if [ ! -f operator-token ]; then
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > operator-token
  printf 'operator operator %s\n' "$(sha256sum < operator-token | cut -d ' ' -f 1)" > api-tokens
fi
echo "promotion API operator token: docker compose exec promotion cat /var/lib/vault-replicator/operator-token"
