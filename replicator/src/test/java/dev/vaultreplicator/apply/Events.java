package dev.vaultreplicator.apply;

import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.events.SecretMetadata;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.seal.SecretSealer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events as capture publishes them, for tests that play capture. */
final class Events {

  private final SecretSealer sealer;
  private String region = "east";
  private long epoch = 1;

  Events(SecretSealer sealer) {
    this.sealer = sealer;
  }

  Events from(String sourceRegion, long sourceEpoch) {
    this.region = sourceRegion;
    this.epoch = sourceEpoch;
    return this;
  }

  SecretChange write(String path, long version, String json) {
    SecretChange change = change(path, Engine.KV_V2, Operation.WRITE, version, List.of()).build();
    if (json != null) {
      change.setSealedData(sealer.seal(Envelope.of(change), SecretData.ofJson(json)));
    }
    return change;
  }

  SecretChange write(String path, long version, String json, SecretMetadata metadata) {
    SecretChange change = write(path, version, json);
    change.setMetadata(metadata);
    if (json != null) {
      change.setSealedData(sealer.seal(Envelope.of(change), SecretData.ofJson(json)));
    }
    return change;
  }

  SecretChange versions(String path, Operation operation, long current, Long... versions) {
    return change(path, Engine.KV_V2, operation, current, List.of(versions)).build();
  }

  SecretChange metadata(String path, long current, SecretMetadata metadata) {
    return change(path, Engine.KV_V2, Operation.METADATA, current, List.of()).setMetadata(metadata).build();
  }

  SecretChange deleteMetadata(String path, long current) {
    return change(path, Engine.KV_V2, Operation.DELETE_METADATA, current, List.of()).build();
  }

  SecretChange kv1Write(String mountAndPath, String json) {
    SecretChange change = change(mountAndPath, Engine.KV_V1, Operation.WRITE, 0, List.of()).build();
    change.setSealedData(sealer.seal(Envelope.of(change), SecretData.ofJson(json)));
    return change;
  }

  SecretChange kv1Delete(String mountAndPath) {
    return change(mountAndPath, Engine.KV_V1, Operation.DELETE_METADATA, 0, List.of()).build();
  }

  PolicyChange policy(String name, String rules) {
    return PolicyChange.newBuilder().setSourceRegion(region).setEpoch(epoch).setName(name)
        .setOperation(rules == null ? PolicyOperation.DELETE : PolicyOperation.WRITE).setPolicy(rules)
        .setCommitTime(Instant.now()).setCaptureTime(Instant.now()).build();
  }

  Heartbeat heartbeat(int partition, Instant capturedThrough) {
    return new Heartbeat(region, epoch, partition, capturedThrough, Instant.now());
  }

  static SecretMetadata settings(int maxVersions, Map<String, String> custom) {
    return SecretMetadata.newBuilder().setMaxVersions(maxVersions).setCasRequired(false)
        .setDeleteVersionAfter("0s").setCustomMetadata(custom.isEmpty() ? null : Map.copyOf(custom)).build();
  }

  /** @param mountAndPath "secret/app/db": the first segment is the mount */
  private SecretChange.Builder change(String mountAndPath, Engine engine, Operation operation, long version,
      List<Long> versions) {
    int slash = mountAndPath.indexOf('/');
    return SecretChange.newBuilder()
        .setSourceRegion(region).setEpoch(epoch)
        .setMount(mountAndPath.substring(0, slash)).setPath(mountAndPath.substring(slash + 1))
        .setEngine(engine).setOperation(operation).setSourceVersion(version).setVersions(versions)
        .setMetadata(null).setCommitTime(Instant.now()).setCaptureTime(Instant.now()).setSealedData(null);
  }
}
