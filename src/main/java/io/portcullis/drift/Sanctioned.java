package io.portcullis.drift;

import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.directory.GroupMemberships;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.LiveGrants;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

/**
 * The one home of what may hold a resource: a live grant of it (ACTIVE, or attempted and not
 * confirmed: a grant in flight is never drift) or the resource's {@code standing} list. Everyone
 * else a member listing shows is drift.
 */
@NamedInterface("sanctioned")
@Component
public class Sanctioned {

  private final LiveGrants grants;
  private final GroupMemberships groups;
  private final Connectors connectors;

  Sanctioned(LiveGrants grants, GroupMemberships groups, Connectors connectors) {
    this.grants = grants;
    this.groups = groups;
    this.connectors = connectors;
  }

  /** The holders of the resource that nothing sanctions, in the order of their names. */
  public SortedSet<Username> drift(Resource resource, Collection<Username> holders) {
    // by person: a listing of 10,000 holders against as many live grants, each compared with every
    // grant, took seconds (DriftSweepBenchmark); by person it is one look-up each
    Map<String, List<AccessRequest>> live =
        grants.on(resource.connector()).stream()
            .collect(Collectors.groupingBy(g -> g.requester().key()));
    SortedSet<Username> drift = new TreeSet<>();
    for (Username holder : holders) {
      if (!granted(resource, holder, live.getOrDefault(holder.key(), List.of()))
          && !standing(resource, holder)) {
        drift.add(holder);
      }
    }
    return Collections.unmodifiableSortedSet(drift);
  }

  /**
   * Holds these people, until the transaction ends, against a grant's first steps, which lock their
   * requester before they record the attempt; taken before {@link #allowsNow} and kept until the
   * removal that it allows is done and committed.
   */
  public void holdForRemoval(Collection<Username> people) {
    grants.lockPeople(people);
  }

  /**
   * Whether the person may hold the resource now, asked again right before a removal, after {@link
   * #holdForRemoval}: a grant that starts meanwhile waits for the removal's transaction, or went
   * first and is seen here.
   */
  public boolean allowsNow(Resource resource, Username person) {
    return granted(resource, person, grants.of(person)) || standing(resource, person);
  }

  private boolean granted(Resource resource, Username person, List<AccessRequest> live) {
    Connector connector = connectors.named(resource.connector());
    return live.stream()
        .anyMatch(
            g ->
                g.requester().sameAs(person)
                    && g.connector().equals(resource.connector())
                    && connector.sameTarget(g.target(), resource.target()));
  }

  private boolean standing(Resource resource, Username person) {
    return resource.standing().allows(person, () -> groups.of(person));
  }
}
