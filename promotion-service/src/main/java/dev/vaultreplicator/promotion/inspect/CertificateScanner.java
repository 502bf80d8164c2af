package dev.vaultreplicator.promotion.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.seal.SecretData;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.VaultGateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the PEM certificates in a standby's replicated secrets (the current version of each KV
 * key) and names those that have expired or expire within the minimum validity. A finding names
 * the secret's path, the certificate's subject and its end date, never a secret value.
 */
public final class CertificateScanner {

  /** What a scan found: how many certificates, and the ones too close to their end. */
  public record Scan(Instant at, int certificates, List<String> expiring) { }

  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+?-----END CERTIFICATE-----");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration minValidity;

  public CertificateScanner(Duration minValidity) {
    this.minValidity = minValidity;
  }

  public Scan scan(VaultGateway standby, List<String> mounts, Instant now) {
    Map<String, Integer> kvMounts = standby.kvMounts();
    int found = 0;
    List<String> expiring = new ArrayList<>();
    for (String mount : mounts) {
      Integer version = kvMounts.get(mount);
      if (version == null) {
        continue;
      }
      for (String key : standby.keys(mount, version)) {
        for (X509Certificate certificate : certificates(current(standby, mount, key, version))) {
          found++;
          Instant end = certificate.getNotAfter().toInstant();
          if (end.isBefore(now.plus(minValidity))) {
            expiring.add(String.format("%s/%s: %s %s %s", mount, key, certificate.getSubjectX500Principal().getName(),
                end.isBefore(now) ? "expired" : "expires", end));
          }
        }
      }
    }
    return new Scan(now, found, expiring);
  }

  private static Optional<SecretData> current(VaultGateway standby, String mount, String key, int version) {
    if (version == 1) {
      return standby.kv1(mount, key);
    }
    return standby.kvMetadata(mount, key).map(KvMetadata::currentVersion)
        .flatMap(current -> standby.kvVersion(mount, key, current));
  }

  /** Every certificate in the secret's string values; text that only looks like one is skipped. */
  static List<X509Certificate> certificates(Optional<SecretData> data) {
    List<X509Certificate> certificates = new ArrayList<>();
    if (data.isEmpty()) {
      return certificates;
    }
    JsonNode root;
    try {
      root = JSON.readTree(data.get().json());
    } catch (IOException e) {
      return certificates;
    }
    List<String> texts = new ArrayList<>();
    collectTexts(root, texts);
    for (String text : texts) {
      Matcher pem = PEM.matcher(text);
      while (pem.find()) {
        parse(pem.group()).ifPresent(certificates::add);
      }
    }
    return certificates;
  }

  private static void collectTexts(JsonNode node, List<String> texts) {
    if (node.isTextual()) {
      texts.add(node.asText());
    }
    node.elements().forEachRemaining(child -> collectTexts(child, texts));
  }

  private static Optional<X509Certificate> parse(String pem) {
    try {
      return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
    } catch (CertificateException | ClassCastException e) {
      return Optional.empty();
    }
  }
}
