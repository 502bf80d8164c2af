package dev.vaultreplicator.promotion.http;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers of {@code /health/standby/{region}?hold=30s}: an answer changes only once the new
 * condition has held for the hold time, so a load balancer that polls it does not flap. The
 * condition is sampled at each request for the same region, max-lag and hold (a poller's
 * interval is its resolution); the first request answers the condition as it is.
 */
final class HeldAnswers {

  /** Distinct pollers; the least recently asked is forgotten beyond it. */
  private static final int REMEMBERED = 1_000;

  /** One poller's question. */
  record Question(String region, Duration maxLag, Duration hold) { }

  /** What to answer, and when it will change if the condition holds as it is (null: it will not). */
  record Answer(boolean fit, boolean conditionFit, Instant changesAt) { }

  private record Held(boolean fit, Instant conditionSince) { }

  private final Map<Question, Held> held = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Question, Held> eldest) {
      return size() > REMEMBERED;
    }
  };

  synchronized Answer answer(Question question, boolean conditionFit, Instant now) {
    Held before = held.get(question);
    if (before == null || before.fit() == conditionFit) {
      held.put(question, new Held(conditionFit, null));
      return new Answer(conditionFit, conditionFit, null);
    }
    Instant since = before.conditionSince() == null ? now : before.conditionSince();
    Instant changesAt = since.plus(question.hold());
    if (!now.isBefore(changesAt)) {
      held.put(question, new Held(conditionFit, null));
      return new Answer(conditionFit, conditionFit, null);
    }
    held.put(question, new Held(before.fit(), since));
    return new Answer(before.fit(), conditionFit, changesAt);
  }
}
