package dev.vaultreplicator.testkit.vault.audit;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Whether Go's {@code time.Time.UnmarshalText} would take a string: RFC 3339, seconds required. */
final class GoTime {

    private static final Pattern RFC3339 =
            Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)");

    private GoTime() {
    }

    static boolean isRfc3339(String text) {
        if (!RFC3339.matcher(text).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
