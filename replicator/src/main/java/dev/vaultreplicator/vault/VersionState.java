package dev.vaultreplicator.vault;

/** What a reader of a KV v2 version gets: its data, a soft-deleted 404, or a destroyed 404. */
public enum VersionState {
  LIVE,
  DELETED,
  DESTROYED
}
