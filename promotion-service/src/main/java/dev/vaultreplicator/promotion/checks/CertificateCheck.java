package dev.vaultreplicator.promotion.checks;

import dev.vaultreplicator.promotion.checks.CheckResult.Status;
import dev.vaultreplicator.promotion.inspect.CertificateScanner;
import dev.vaultreplicator.promotion.inspect.StandbyInspector;
import java.time.Duration;
import java.util.List;

/** {@code certificates}: no PEM certificate in the standby's replicated secrets has expired or expires soon. */
public final class CertificateCheck implements RegionCheck {

  public static final String NAME = "certificates";
  private static final int NAMED = 3;

  private final StandbyInspector inspector;
  private final Duration minValidity;

  public CertificateCheck(StandbyInspector inspector, Duration minValidity) {
    this.inspector = inspector;
    this.minValidity = minValidity;
  }

  @Override
  public CheckResult evaluate(String region) {
    StandbyInspector.Inspection inspection = inspector.inspection(region);
    if (inspection.certificates().isEmpty()) {
      return new CheckResult(NAME, Status.UNKNOWN, inspection.certificateProblem()
          .map(problem -> "no scan yet: " + problem).orElse("the first scan has not finished yet"));
    }
    CertificateScanner.Scan scan = inspection.certificates().get();
    List<String> expiring = scan.expiring();
    if (!expiring.isEmpty()) {
      return new CheckResult(NAME, Status.FAIL, String.format(
          "%d of %d certificates expire within %sh (check.cert.min.validity): %s%s", expiring.size(),
          scan.certificates(), minValidity.toHours(), String.join("; ", expiring.subList(0,
              Math.min(NAMED, expiring.size()))), expiring.size() > NAMED ? "; ..." : ""));
    }
    return new CheckResult(NAME, Status.PASS, String.format("%d certificates, none expiring within %sh",
        scan.certificates(), minValidity.toHours()));
  }
}
