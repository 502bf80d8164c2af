package dev.vaultreplicator.testkit.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * An issuer of signed JWTs with a key of a test's own: it stands in for Kubernetes' service account
 * token issuer, which a Vault's {@code jwt} auth method trusts by its public key
 * ({@code jwt_validation_pubkeys}).
 */
public final class TestJwtIssuer {

  private final String issuer;
  private final KeyPair key;

  public TestJwtIssuer(String issuer) {
    this.issuer = issuer;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.key = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String issuer() {
    return issuer;
  }

  /** The public key as PEM, for {@code jwt_validation_pubkeys}. */
  public String publicKeyPem() {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(key.getPublic());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pem.toString();
  }

  /** A JWT (RS256) for this subject and audience, valid from now for {@code validFor}. */
  public String sign(String subject, String audience, Duration validFor) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(validFor))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(new RSASSASigner(key.getPrivate()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a test JWT", e);
    }
    return jwt.serialize();
  }
}
