package io.portcullis.request;

import io.portcullis.catalog.Resource;
import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Username;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Flags a new request that looks unusual for its requester, from their earlier requests in the read
 * model: advice for the approvers and an input of the approval policy ({@code flagged}, {@code
 * flags}), never a refusal. Computed once, when the request opens ({@link
 * RequestLifecycle#opened}), before it is stored, so its own row is never part of its history;
 * stored with it and never computed again.
 *
 * <p>The rules (the README's "Unusual-access flags" says the same):
 *
 * <ul>
 *   <li>{@link Flag#FIRST_FOR_RESOURCE}: no earlier request of this person for this resource, in
 *       any status;
 *   <li>{@link Flag#OUTSIDE_USUAL_HOURS}: with at least {@code usual-hours-history} earlier
 *       requests, the hour of day (in {@code zone}) is before the earliest or after the latest hour
 *       of day of their last 100;
 *   <li>{@link Flag#BURST}: this request makes more than {@code burst-max} of theirs in the last
 *       {@code burst-window};
 *   <li>{@link Flag#NEAR_MAXIMUM}: the duration is at least {@code near-maximum-percent} of the
 *       resource's longest;
 *   <li>{@link Flag#NEW_ADDRESS}: asked from a client address none of their earlier requests came
 *       from, when they have earlier requests with an address (a first request, or one no HTTP call
 *       made, is not flagged);
 *   <li>{@link Flag#BREAK_GLASS_REVOKED}: a break-glass of this person was revoked on its review
 *       ({@link BreakGlassReview}): every later request of theirs says so to its approvers.
 * </ul>
 */
@Component
public class UnusualAccess {

  /** How many of a person's latest requests their usual hours are read from. */
  static final int HOURS_HISTORY = 100;

  /**
   * An unusual thing about a request, with the one line an approver reads; never any text a caller
   * gave.
   */
  public enum Flag {
    FIRST_FOR_RESOURCE("the requester has never asked for this resource before"),
    OUTSIDE_USUAL_HOURS(
        "asked at an hour of the day outside the range of the requester's earlier requests"),
    BURST("the requester made more requests in a short time than the limit for unusual bursts"),
    NEAR_MAXIMUM("the duration is near the longest this resource allows"),
    NEW_ADDRESS("asked from a network address none of the requester's earlier requests came from"),
    BREAK_GLASS_REVOKED("a break-glass access of the requester was revoked on review");

    private final String reason;

    Flag(String reason) {
      this.reason = reason;
    }

    public String reason() {
      return reason;
    }

    /** The stored form: names joined by commas, empty for none. */
    static String store(List<Flag> flags) {
      return flags.stream().map(Enum::name).collect(Collectors.joining(","));
    }

    static List<Flag> read(String stored) {
      return stored == null || stored.isEmpty()
          ? List.of()
          : Arrays.stream(stored.split(",")).map(Flag::valueOf).toList();
    }
  }

  private final AccessRequestRepository requests;
  private final UnusualAccessSettings settings;
  private final BreakGlassReviews breakGlass;

  UnusualAccess(
      AccessRequestRepository requests,
      UnusualAccessSettings settings,
      BreakGlassReviews breakGlass) {
    this.requests = requests;
    this.settings = settings;
    this.breakGlass = breakGlass;
  }

  /**
   * The flags of a request about to open, in the enum's order. Asked while the person's queue is
   * locked ({@link RequestQueues#admit}), so two openings at once count each other.
   *
   * @param clientAddress the address the request came from; null when no HTTP call made it
   */
  List<Flag> of(
      Username requester,
      Resource resource,
      AccessDuration duration,
      String clientAddress,
      Instant now) {
    List<Flag> flags = new ArrayList<>();
    if (!requests.askedBefore(requester, resource.id())) {
      flags.add(Flag.FIRST_FOR_RESOURCE);
    }
    if (outsideUsualHours(requests.latestRequestTimes(requester, HOURS_HISTORY), now)) {
      flags.add(Flag.OUTSIDE_USUAL_HOURS);
    }
    if (requests.countSince(requester, now.minus(settings.burstWindow())) + 1
        > settings.burstMax()) {
      flags.add(Flag.BURST);
    }
    if (nearMaximum(duration.value(), resource.maxDuration())) {
      flags.add(Flag.NEAR_MAXIMUM);
    }
    if (newAddress(requester, clientAddress)) {
      flags.add(Flag.NEW_ADDRESS);
    }
    if (breakGlass.revokedFor(requester)) {
      flags.add(Flag.BREAK_GLASS_REVOKED);
    }
    return List.copyOf(flags);
  }

  /**
   * Whether this address is new for this person: none of their requests came from it, and some came
   * from an address on record. The one home of that rule, for another feature that asks the same of
   * a later call (a credential handed out for a request, say) before it records the address in its
   * own history.
   *
   * @param clientAddress null (no HTTP call) is never new
   */
  public boolean newAddress(Username requester, String clientAddress) {
    return clientAddress != null
        && requests.hasAddresses(requester)
        && !requests.askedFrom(requester, clientAddress);
  }

  boolean outsideUsualHours(List<Instant> earlier, Instant now) {
    if (earlier.size() < settings.usualHoursHistory()) {
      return false;
    }
    IntSummaryStatistics hours = earlier.stream().mapToInt(this::hourOfDay).summaryStatistics();
    int hour = hourOfDay(now);
    return hour < hours.getMin() || hour > hours.getMax();
  }

  boolean nearMaximum(Duration asked, Duration longest) {
    // asked / longest >= percent / 100, in whole milliseconds, without rounding
    return asked.toMillis() * 100 >= longest.toMillis() * settings.nearMaximumPercent();
  }

  private int hourOfDay(Instant at) {
    return at.atZone(settings.zone()).getHour();
  }
}
