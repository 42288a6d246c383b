package io.portcullis.catalog;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import java.time.Duration;
import org.springframework.modulith.NamedInterface;

/**
 * A requestable resource.
 *
 * @param id stable identifier used in requests and URLs
 * @param connector the name of the connector that grants it
 * @param target what the connector grants (for ldap-group, the group's DN)
 * @param minDuration the shortest time any request may ask for
 * @param maxDuration the longest time one request may ask for
 * @param environment where it lives ({@code staging}, {@code production}, ...): an input of the
 *     approval policy
 * @param risk how much harm its misuse does ({@code low}, {@code medium}, {@code high}): an input
 *     of the approval policy
 * @param standing who may hold it outside a Portcullis grant ({@link Standing#NONE}: nobody)
 * @param onDrift what the drift sweep does with a holder nothing sanctions
 * @param review how its standing access is reviewed ({@link ReviewPolicy#NONE}: not at all)
 */
@NamedInterface("resources")
public record Resource(
    ResourceId id,
    String name,
    String description,
    ConnectorName connector,
    Target target,
    Duration minDuration,
    Duration maxDuration,
    String environment,
    String risk,
    Duration maxTotalDuration,
    Standing standing,
    OnDrift onDrift,
    ReviewPolicy review) {

  /** A resource that is not reviewed. */
  public Resource(
      ResourceId id,
      String name,
      String description,
      ConnectorName connector,
      Target target,
      Duration minDuration,
      Duration maxDuration,
      String environment,
      String risk,
      Duration maxTotalDuration,
      Standing standing,
      OnDrift onDrift) {
    this(
        id,
        name,
        description,
        connector,
        target,
        minDuration,
        maxDuration,
        environment,
        risk,
        maxTotalDuration,
        standing,
        onDrift,
        ReviewPolicy.NONE);
  }

  /** An environment or risk level: a word the approval policy matches on. */
  public static final String ATTRIBUTE_PATTERN = "[a-z][a-z0-9-]{0,31}";

  /**
   * Checks how long access to this resource is asked (or approved) for, whichever door the duration
   * came through, against this resource's bounds ({@link AccessDuration#within}, the one home of
   * that rule).
   *
   * @param duration null when none was given, which is refused as missing
   */
  public AccessDuration checkDuration(AccessDuration duration) {
    if (duration == null) {
      throw AccessDuration.required();
    }
    return duration.within(minDuration, maxDuration, id);
  }
}
