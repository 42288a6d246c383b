package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditEvents;
import io.portcullis.audit.AuditQuery;
import io.portcullis.catalog.Resource;
import io.portcullis.catalog.Standing;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.MemberListing;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.drift.Sanctioned;
import io.portcullis.kernel.Username;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Who a review of a resource asks about, and what its owners see of each: the holders whose access
 * only the resource's standing list sanctions. A holder with a live grant is the grant's to end
 * (its expiry or revoke), and a holder nothing sanctions is the drift sweep's; neither is reviewed.
 */
@Component
class Holders {

  private static final int HISTORY_CHARS = 2000;

  private final Connectors connectors;
  private final Sanctioned sanctioned;
  private final GroupMemberships groups;
  private final AuditEvents events;

  Holders(
      Connectors connectors, Sanctioned sanctioned, GroupMemberships groups, AuditEvents events) {
    this.connectors = connectors;
    this.sanctioned = sanctioned;
    this.groups = groups;
    this.events = events;
  }

  /**
   * The standing holders now, read from the system: its member listing where the connector has one,
   * else each person the standing list names, asked one by one (a named group's members are then
   * not found: only a listing shows them).
   */
  SortedSet<Username> of(Resource resource) {
    Connector connector = connectors.named(resource.connector());
    Optional<MemberListing> listing = connectors.named(resource.connector(), MemberListing.class);
    SortedSet<Username> members = new TreeSet<>();
    if (listing.isPresent()) {
      members.addAll(listing.get().members(resource.target()));
    } else {
      for (Username person : resource.standing().people()) {
        if (connector.holds(person, resource.target())) {
          members.add(person);
        }
      }
    }
    SortedSet<Username> standing = new TreeSet<>();
    for (Username holder : withoutLiveGrant(resource, members)) {
      if (resource.standing().allows(holder, () -> groups.of(holder))) {
        standing.add(holder);
      }
    }
    return standing;
  }

  /** Whether a live grant gives the person this resource now, asked under the grants' lock. */
  boolean liveGrant(Resource resource, Username person) {
    return sanctioned.allowsNow(grantsOnly(resource), person);
  }

  /**
   * What the owners see of a holder: their requests for the resource, their last grant, and their
   * last use, which no connector reports today.
   */
  String history(Resource resource, Username holder) {
    long asked =
        events.count(
            new AuditQuery(
                null,
                null,
                holder.value(),
                null,
                resource.id().value(),
                AuditAction.ACCESS_REQUESTED,
                null));
    List<AuditEvent> granted =
        events.page(
            new AuditQuery(
                null,
                null,
                holder.value(),
                null,
                resource.id().value(),
                AuditAction.ACCESS_GRANTED,
                null),
            0,
            1);
    List<String> lines = new ArrayList<>();
    lines.add("Holds it standing (" + resource.id().value() + "'s standing list).");
    lines.add("Requests for it through Portcullis: " + asked + ".");
    lines.add(
        "Last grant through Portcullis: "
            + (granted.isEmpty() ? "never" : granted.get(0).time().toString())
            + ".");
    lines.add("Last use: unknown (" + resource.connector().value() + " does not report use).");
    String history = String.join("\n", lines);
    return history.length() <= HISTORY_CHARS ? history : history.substring(0, HISTORY_CHARS);
  }

  private SortedSet<Username> withoutLiveGrant(Resource resource, SortedSet<Username> members) {
    // drift from a resource that allows nobody standing: exactly the members no live grant covers
    return sanctioned.drift(grantsOnly(resource), members);
  }

  private static Resource grantsOnly(Resource resource) {
    return new Resource(
        resource.id(),
        resource.name(),
        resource.description(),
        resource.connector(),
        resource.target(),
        resource.minDuration(),
        resource.maxDuration(),
        resource.environment(),
        resource.risk(),
        resource.maxTotalDuration(),
        Standing.NONE,
        resource.onDrift());
  }
}
