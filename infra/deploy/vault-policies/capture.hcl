# Capture's token on the primary: it only reads. Repeat the secret/ rules for every replicated
# KV v2 mount; for a KV v1 mount, <mount>/* with read and list. Without <mount>/config capture
# reads each changed key's metadata as well as its new version (one more read per change).
# auth/token/lookup-self and renew-self come with Vault's default policy.
path "secret/metadata/*" {
  capabilities = ["read", "list"]
}
path "secret/data/*" {
  capabilities = ["read"]
}
path "secret/config" {
  capabilities = ["read"]
}
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/policies/acl" {
  capabilities = ["list"]
}
path "sys/policies/acl/*" {
  capabilities = ["read"]
}
