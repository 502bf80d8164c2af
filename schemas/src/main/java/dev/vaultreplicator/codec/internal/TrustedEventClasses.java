package dev.vaultreplicator.codec.internal;

import dev.vaultreplicator.events.SecretChange;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Since 1.12 Avro instantiates only classes it trusts when it reads records and enums, and the
 * trust list is JVM-wide. This adds exactly the generated event package to whatever the JVM
 * already trusts (system properties or an earlier setting), rather than asking every process that
 * reads events to pass -Dorg.apache.avro.SERIALIZABLE_PACKAGES.
 */
public final class TrustedEventClasses {

  private static final String EVENTS_PACKAGE = SecretChange.class.getPackageName();
  private static boolean installed;

  private TrustedEventClasses() {}

  public static synchronized void install() {
    if (!installed) {
      ClassSecurityPredicate events = type -> type.getPackageName().equals(EVENTS_PACKAGE);
      ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(), events));
      installed = true;
    }
  }
}
