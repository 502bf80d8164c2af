package dev.vaultreplicator.testkit.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of a test's own, and the server and client certificates it issues, as
 * PEM files in a directory: what an operator's PKI hands a Vault listener and its clients. Keys
 * are EC P-256 (quick to make), written unencrypted in PKCS#8; certificates are valid for a day.
 */
public final class TestCertificates {

  /** A certificate and its private key, each a PEM file. */
  public record Issued(Path certificate, Path privateKey) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path directory;
  private final String name;
  private final KeyPair key;
  private final X509Certificate certificate;

  private TestCertificates(Path directory, String name, KeyPair key, X509Certificate certificate) {
    this.directory = directory;
    this.name = name;
    this.key = key;
    this.certificate = certificate;
  }

  /** A new self-signed authority; its certificate is {@code <directory>/<name>-ca.pem}. */
  public static TestCertificates authority(Path directory, String name) {
    KeyPair key = newKey();
    X500Name subject = new X500Name("CN=" + name + " test CA");
    X509v3CertificateBuilder builder = builder(subject, subject, key);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestCertificates authority = new TestCertificates(directory, name, key, sign(builder, key));
    writePem(authority.caFile(), authority.certificate);
    return authority;
  }

  public Path caFile() {
    return directory.resolve(name + "-ca.pem");
  }

  /** A server certificate for these names: entries that parse as IPv4 addresses are IP names, the rest DNS names. */
  public Issued server(String fileName, String... names) {
    return serverLeaf(fileName, names).issued();
  }

  /**
   * A server certificate for these names, as a PKCS#12 key store holding its key and chain (the
   * form a Kafka listener takes), beside the PEM files.
   */
  public Path serverKeyStore(String fileName, String password, String... names) {
    Leaf leaf = serverLeaf(fileName, names);
    Path keyStore = directory.resolve(fileName + ".p12");
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(fileName, leaf.key().getPrivate(), password.toCharArray(),
          new X509Certificate[] {leaf.certificate(), certificate});
      try (OutputStream out = Files.newOutputStream(keyStore)) {
        store.store(out, password.toCharArray());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + keyStore, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a test key store", e);
    }
    return keyStore;
  }

  /** A client certificate, for a listener that asks its clients for one. */
  public Issued client(String fileName, String commonName) {
    return issue(fileName, commonName, KeyPurposeId.id_kp_clientAuth, null).issued();
  }

  private record Leaf(Issued issued, KeyPair key, X509Certificate certificate) {}

  private Leaf serverLeaf(String fileName, String... names) {
    List<GeneralName> alternatives = new ArrayList<>();
    for (String each : names) {
      boolean ip = each.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      alternatives.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, each));
    }
    return issue(fileName, names.length == 0 ? "server" : names[0], KeyPurposeId.id_kp_serverAuth,
        new GeneralNames(alternatives.toArray(GeneralName[]::new)));
  }

  private Leaf issue(String fileName, String commonName, KeyPurposeId purpose, GeneralNames alternatives) {
    KeyPair leafKey = newKey();
    X509v3CertificateBuilder builder = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + commonName), leafKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (alternatives != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Issued issued = new Issued(directory.resolve(fileName + ".pem"), directory.resolve(fileName + "-key.pem"));
    X509Certificate signed = sign(builder, key);
    writePem(issued.certificate(), signed);
    writePem(issued.privateKey(), pkcs8(leafKey));
    return new Leaf(issued, leafKey, signed);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, key.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static Object pkcs8(KeyPair key) {
    try {
      return new JcaPKCS8Generator(key.getPrivate(), null);
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writePem(Path file, Object object) {
    try {
      Files.createDirectories(file.getParent());
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
          JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
