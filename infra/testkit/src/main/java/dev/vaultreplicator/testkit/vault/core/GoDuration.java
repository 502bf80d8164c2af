package dev.vaultreplicator.testkit.vault.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Durations as Vault reads them (a Go duration string or a number of seconds) and writes them ({@code 1h0m0s}). */
public final class GoDuration {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /** @throws IllegalArgumentException for anything Vault would refuse */
    public static Duration parse(JsonNode value) {
        if (value.isNumber()) {
            return Duration.ofSeconds(value.asLong());
        }
        return parse(value.asText());
    }

    public static Duration parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            return Duration.ZERO;
        }
        if (s.matches("-?\\d+")) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        boolean negative = s.startsWith("-");
        String rest = negative || s.startsWith("+") ? s.substring(1) : s;
        Matcher m = PART.matcher(rest);
        long nanos = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double amount = Double.parseDouble(m.group(1));
            nanos += (long) (amount * unitNanos(m.group(2)));
            at = m.end();
        }
        if (at != rest.length() || at == 0) {
            throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        }
        return Duration.ofNanos(negative ? -nanos : nanos);
    }

    /** Go's {@code Duration.String()} for whole seconds: {@code 0s}, {@code 45s}, {@code 2m5s}, {@code 1h0m0s}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        String sign = seconds < 0 ? "-" : "";
        long abs = Math.abs(seconds);
        long h = abs / 3600;
        long m = (abs % 3600) / 60;
        long s = abs % 60;
        if (h > 0) {
            return sign + h + "h" + m + "m" + s + "s";
        }
        if (m > 0) {
            return sign + m + "m" + s + "s";
        }
        return sign + s + "s";
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
