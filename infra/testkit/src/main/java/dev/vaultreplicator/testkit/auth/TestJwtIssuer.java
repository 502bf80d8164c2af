package dev.vaultreplicator.testkit.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

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
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
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
