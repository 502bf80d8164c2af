package dev.vaultreplicator.promotion.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeldAnswersTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final HeldAnswers.Question WEST = new HeldAnswers.Question("west", Duration.ofSeconds(5),
      Duration.ofSeconds(30));

  private final HeldAnswers answers = new HeldAnswers();

  @Test
  void shouldChangeTheAnswerOnlyOnceTheNewConditionHasHeldForTheHold() {
    assertThat(answers.answer(WEST, true, T0).fit()).as("the first answer is the condition").isTrue();

    HeldAnswers.Answer flipped = answers.answer(WEST, false, T0.plusSeconds(10));
    HeldAnswers.Answer stillHeld = answers.answer(WEST, false, T0.plusSeconds(39));
    HeldAnswers.Answer changed = answers.answer(WEST, false, T0.plusSeconds(40));

    assertThat(flipped.fit()).isTrue();
    assertThat(flipped.conditionFit()).isFalse();
    assertThat(flipped.changesAt()).isEqualTo(T0.plusSeconds(40));
    assertThat(stillHeld.fit()).isTrue();
    assertThat(changed.fit()).isFalse();
    assertThat(changed.changesAt()).isNull();
  }

  @Test
  void shouldStartTheHoldAgainWhenTheConditionFlapsBack() {
    answers.answer(WEST, true, T0);
    answers.answer(WEST, false, T0.plusSeconds(1));
    answers.answer(WEST, true, T0.plusSeconds(2));

    HeldAnswers.Answer again = answers.answer(WEST, false, T0.plusSeconds(31));

    assertThat(again.fit()).as("a flap back restarts the hold").isTrue();
    assertThat(again.changesAt()).isEqualTo(T0.plusSeconds(61));
  }

  @Test
  void shouldHoldEachQuestionOnItsOwn() {
    HeldAnswers.Question shortHold = new HeldAnswers.Question("west", Duration.ofSeconds(5), Duration.ofSeconds(1));
    answers.answer(WEST, true, T0);
    answers.answer(shortHold, true, T0);

    assertThat(answers.answer(shortHold, false, T0.plusSeconds(1)).fit()).isTrue();
    assertThat(answers.answer(shortHold, false, T0.plusSeconds(2)).fit()).isFalse();
    assertThat(answers.answer(WEST, false, T0.plusSeconds(2)).fit()).isTrue();
  }
}
