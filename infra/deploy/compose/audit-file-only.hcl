# vault-east starts with a file audit device only: OpenBao probes a new socket device and fails
# its start when nobody listens. vault-east-audit declares capture's once capture runs.
audit "file" "file" {
  options {
    file_path = "stdout"
  }
}
