#!/bin/sh
# Declares capture's socket audit device on vault-east once capture listens, as an operator does
# with OpenBao: rewrite the audit config file, then SIGHUP the server (this container shares
# vault-east's process namespace).
set -eu
cat > /openbao/audit/audit.hcl <<'HCL'
audit "file" "file" {
  options {
    file_path = "stdout"
  }
}
audit "socket" "capture" {
  options {
    address     = "capture-east:9090"
    socket_type = "tcp"
  }
}
HCL
kill -HUP "$(pidof bao)"
echo "declared capture's socket audit device on vault-east"
