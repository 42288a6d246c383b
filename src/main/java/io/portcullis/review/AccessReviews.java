package io.portcullis.review;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.InvalidInputException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.RefusedException;
import io.portcullis.kernel.ResourceId;
import io.portcullis.security.EngineIdentity;
import io.portcullis.web.FreeText;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.annotation.Lazy;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The campaigns: started on demand by an admin or by the schedule, read by admins, auditors and the
 * owners, decided by the owners. Who may decide is {@link Reviewers}', checked again by the task's
 * guard whatever the door.
 */
@Service
public class AccessReviews {

  static final int MAX_COMMENT = 1000;
  private static final int MAX_LISTED = 200;

  private final Catalog catalog;
  private final ReviewStore store;
  private final AuditTrail audit;
  private final ProcessEngine engine;
  private final EngineIdentity engineIdentity;

  AccessReviews(
      Catalog catalog,
      ReviewStore store,
      AuditTrail audit,
      @Lazy ProcessEngine engine,
      EngineIdentity engineIdentity) {
    this.catalog = catalog;
    this.store = store;
    this.audit = audit;
    this.engine = engine;
    this.engineIdentity = engineIdentity;
  }

  /** A campaign now, on an admin's demand. */
  @Transactional
  public Campaign start(Caller caller, ResourceId resource) {
    if (!caller.is(Caller.Role.ADMIN)) {
      throw new RefusedException("Only an admin may start an access review.");
    }
    return start(resource, caller.username().value());
  }

  /**
   * Stores the campaign and starts its process, bound to it, in one transaction; the holders are
   * listed by the process's first step, behind its async continuation.
   */
  @Transactional
  Campaign start(ResourceId id, String startedBy) {
    Resource resource =
        catalog
            .find(id)
            .orElseThrow(() -> new NotFoundException("No resource '" + id + "' in the catalog."));
    if (!resource.review().reviewable()) {
      throw new InvalidInputException(
          "resource", "has no owner group to review it (the catalog entry's owner)");
    }
    store.openOf(id).ifPresent(AccessReviews::refuseWhileOpen);
    Instant now = ClockUtil.getCurrentTime().toInstant();
    Campaign campaign =
        new Campaign(
            UUID.randomUUID().toString(),
            id,
            resource.review().owner(),
            resource.review().onUnreviewed(),
            Campaign.OPEN,
            startedBy,
            now,
            now.plus(resource.review().within()),
            null,
            null);
    try {
      store.insert(campaign);
    } catch (DuplicateKeyException startedMeanwhile) {
      // another start of this resource committed since the check above
      throw new ConflictException(
          "A review of " + id + " started meanwhile and is open; list the reviews to find it.");
    }
    ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
        .getCommandExecutorTxRequired()
        .execute(
            context ->
                context.runWithoutAuthorization(
                    () -> {
                      ProcessInstance instance =
                          engine
                              .getRuntimeService()
                              .startProcessInstanceByKey(ReviewProcess.KEY, campaign.id());
                      store.bind(campaign.id(), instance.getId());
                      return null;
                    }));
    audit.record(
        AuditEvent.Draft.by(startedBy, AuditAction.REVIEW_STARTED)
            .resource(id)
            .detail("review", campaign.id())
            .detail("owner", campaign.ownerGroup())
            .detail("deadline", campaign.deadline().toString())
            .detail("onUnreviewed", campaign.onUnreviewed().name().toLowerCase(Locale.ROOT)));
    return store.find(campaign.id()).orElseThrow();
  }

  /** One campaign with its items, if the caller may see it (else not found). */
  public Campaign get(Caller caller, String id) {
    return store
        .find(id)
        .filter(c -> mayRead(caller, c))
        .orElseThrow(() -> new NotFoundException("No access review " + id + "."));
  }

  List<ReviewItem> items(Campaign campaign) {
    return store.items(campaign.id());
  }

  /** The newest campaigns the caller may see. */
  public List<Campaign> list(Caller caller) {
    return store.list(MAX_LISTED).stream().filter(c -> mayRead(caller, c)).toList();
  }

  /**
   * Keeps or removes one holder: completes the holder's task as the caller, so that the task's
   * guard judges this door as it judges Tasklist.
   */
  public ReviewItem decide(Caller caller, String id, int item, String decision, String comment) {
    Campaign campaign = get(caller, id);
    ReviewItem target =
        store
            .item(id, item)
            .orElseThrow(() -> new NotFoundException("No item " + item + " in review " + id + "."));
    String verdict = verdict(decision);
    String note = FreeText.optionalLine("comment", comment, MAX_COMMENT);
    Reviewers.whyNot(caller.username(), caller.groups(), campaign, target)
        .ifPresent(
            why -> {
              throw new ReviewRefusedException(why);
            });
    if (target.taskId() == null || !Campaign.OPEN.equals(campaign.status())) {
      throw new ConflictException("This holder is not waiting for a decision yet.");
    }
    Map<String, Object> variables = new HashMap<>();
    variables.put(ReviewProcess.DECISION, verdict);
    if (note != null) {
      variables.put(ReviewProcess.COMMENT, note);
    }
    engineIdentity.as(
        caller,
        () -> {
          engine.getTaskService().complete(target.taskId(), variables);
          return null;
        });
    return store.item(id, item).orElseThrow();
  }

  /** {@code keep} or {@code remove}, the one spelling every door accepts. */
  static String verdict(Object decision) {
    if (decision instanceof String s && (s.equals("keep") || s.equals("remove"))) {
      return s;
    }
    throw new InvalidInputException("decision", "must be keep or remove");
  }

  private static boolean mayRead(Caller caller, Campaign campaign) {
    return caller.is(Caller.Role.ADMIN)
        || caller.is(Caller.Role.AUDITOR)
        || caller.inGroup(campaign.ownerGroup());
  }

  private static void refuseWhileOpen(Campaign open) {
    throw new ConflictException(
        "A review of " + open.resource() + " is open: " + open.id() + ", until " + open.deadline());
  }
}
