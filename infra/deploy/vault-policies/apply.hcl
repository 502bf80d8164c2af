# Apply's token on a standby: it writes what capture published. Repeat the secret/ rules for every
# replicated KV v2 mount and for the target mounts of path.remap; for a KV v1 mount, <mount>/*
# with create, update and delete. Reads resolve a check-and-set mismatch and adopt versions after
# a replay. auth/token/lookup-self and renew-self come with Vault's default policy.
path "secret/data/*" {
  capabilities = ["create", "update", "read"]
}
path "secret/metadata/*" {
  capabilities = ["create", "update", "read", "delete"]
}
path "secret/delete/*" {
  capabilities = ["update"]
}
path "secret/undelete/*" {
  capabilities = ["update"]
}
path "secret/destroy/*" {
  capabilities = ["update"]
}
path "sys/policies/acl/*" {
  capabilities = ["create", "update", "delete"]
}
