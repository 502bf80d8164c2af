# The promotion service's token on every region's Vault (any region may be the primary): it reads
# what its checks compare and, for a switchover with stop_writes, seals the old primary. Repeat the
# secret/ rules for every mount of inspect.mounts. sys/health needs no token;
# auth/token/lookup-self and renew-self come with Vault's default policy.
path "sys/mounts" {
  capabilities = ["read"]
}
path "secret/metadata/*" {
  capabilities = ["read", "list"]
}
path "secret/data/*" {
  capabilities = ["read"]
}
path "sys/policies/acl" {
  capabilities = ["list"]
}
path "sys/policies/acl/*" {
  capabilities = ["read"]
}
# Only for switchovers with stop_writes; leave it out where the service must never seal a Vault.
path "sys/seal" {
  capabilities = ["update", "sudo"]
}
