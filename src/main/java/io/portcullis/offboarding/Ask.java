package io.portcullis.offboarding;

import io.portcullis.kernel.OffboardingId;
import java.time.Instant;
import java.util.Locale;

/**
 * One ask that reached an offboarding, as stored: the one that started it, or a later one that
 * moved it earlier. The evidence of who wanted the person gone, through which door, and when.
 *
 * @param effectiveAt the effective time asked for; the moment of the ask when it asked for now
 * @param movedFrom the effective time a move took the offboarding from; null for the ask that
 *     started it
 * @param appliedAt when the saga took the move (the ask that started it: when it was stored)
 */
record Ask(
    OffboardingId offboardingId,
    Instant at,
    String by,
    Door door,
    String reference,
    String reason,
    Instant effectiveAt,
    Outcome outcome,
    Instant movedFrom,
    Instant appliedAt) {

  /** The door an ask came through: the HR API or the identity provider's SCIM. */
  enum Door {
    API,
    SCIM;

    String value() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Door of(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  /** What an ask did to the person's offboarding. */
  enum Outcome {
    /** It started the offboarding. */
    STARTED("started"),
    /** It moved a scheduled offboarding to an earlier moment of the future. */
    MOVED_EARLIER("moved earlier"),
    /**
     * It moved a scheduled offboarding to now: a deactivation, or an HR call without effectiveAt.
     */
    BROUGHT_FORWARD("brought forward to now");

    private final String words;

    Outcome(String words) {
      this.words = words;
    }

    String words() {
      return words;
    }
  }
}
