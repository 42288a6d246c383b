package io.portcullis.offboarding;

import io.portcullis.connector.AccountControl;
import io.portcullis.connector.Connector;
import io.portcullis.connector.ConnectorException;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.Discovery;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessOfLeavers;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.RequestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Asks every system again, from scratch, and records what it says: whatever the leaver still holds
 * is a finding, whether the saga missed it, a revoke did not take, or someone added it since
 * discovery. Read from the systems themselves and from Portcullis' own records, never from what the
 * saga believes it did.
 */
@Component("verifyNothingLeft")
class VerifyNothingLeft implements JavaDelegate {

  private final BoundOffboardings bound;
  private final OffboardingRepository offboardings;
  private final OffboardingEvents events;
  private final Connectors connectors;
  private final AccessOfLeavers access;
  private final TaskService tasks;

  VerifyNothingLeft(
      BoundOffboardings bound,
      OffboardingRepository offboardings,
      OffboardingEvents events,
      Connectors connectors,
      AccessOfLeavers access,
      TaskService tasks) {
    this.bound = bound;
    this.offboardings = offboardings;
    this.events = events;
    this.connectors = connectors;
    this.access = access;
    this.tasks = tasks;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Offboarding o = bound.of(execution.getProcessInstanceId(), OffboardingProcess.TASK_VERIFY);
    Username username = o.username();
    int round = offboardings.round(o.id());
    Instant now = Offboardings.now();
    List<String> findings = new ArrayList<>();

    Map<String, Boolean> disabled = new HashMap<>();
    Set<String> unreachable = new HashSet<>();
    connectors
        .withCapability(AccountControl.class)
        .forEach(
            (system, accounts) ->
                asking(
                    system.value(),
                    unreachable,
                    () -> {
                      boolean off = accounts.isDisabled(username);
                      disabled.put(system.value(), off);
                      if (!off) {
                        findings.add(
                            finding(
                                o,
                                round,
                                system.value(),
                                "the account of " + username + " is not disabled",
                                now));
                      }
                    }));
    Map<String, SortedSet<Target>> held = new HashMap<>();
    connectors
        .withCapability(Discovery.class)
        .forEach(
            (system, discovery) ->
                asking(
                    system.value(),
                    unreachable,
                    () -> {
                      SortedSet<Target> targets = discovery.holdings(username);
                      held.put(system.value(), targets);
                      targets.forEach(
                          target ->
                              findings.add(
                                  finding(
                                      o,
                                      round,
                                      system.value(),
                                      username + " still holds " + target,
                                      now)));
                    }));
    for (Item item : offboardings.items(o.id())) {
      if (item.round() != round || unreachable.contains(item.system())) {
        continue;
      }
      Boolean stillThere =
          switch (item.kind()) {
            // a system that cannot disable accounts was not asked: its account item says so already
            case ACCOUNT ->
                disabled.containsKey(item.system()) ? !disabled.get(item.system()) : null;
            case GRANT, STANDING -> stillHeld(item, username, held, findings, o, round, now);
            default -> null;
          };
      if (stillThere != null) {
        offboardings.markVerified(item.id(), now, stillThere);
      }
    }
    unreachable.forEach(
        system ->
            findings.add(
                finding(
                    o,
                    round,
                    system,
                    system
                        + " could not be asked after every retry; "
                        + "what it still holds of "
                        + username
                        + " is unknown",
                    now)));
    for (AccessRequest grant : access.activeGrants(username)) {
      String state =
          grant.status() == RequestStatus.ACTIVE
              ? "ACTIVE"
              : grant.status() + " with its grant attempted";
      findings.add(
          finding(
              o,
              round,
              Item.PORTCULLIS,
              "request " + grant.id() + " (" + grant.resource() + ") is still " + state,
              now));
    }
    tasks
        .createTaskQuery()
        .taskAssignee(username.value())
        .list()
        .forEach(
            task ->
                findings.add(
                    finding(
                        o,
                        round,
                        Item.PORTCULLIS,
                        "task "
                            + task.getId()
                            + " ("
                            + task.getName()
                            + ") is still claimed by "
                            + username,
                        now)));
    events.verified(o, round, findings);
  }

  /**
   * Asks one system; a system that is still down on the step's last attempt is noted as unreachable
   * (a finding for the admin) so that the others are verified all the same. Before that, the step
   * retries.
   */
  private static void asking(String system, Set<String> unreachable, Runnable ask) {
    try {
      ask.run();
    } catch (ConnectorException e) {
      if (!LastAttempt.now()) {
        throw e;
      }
      unreachable.add(system);
    }
  }

  /**
   * A system that can discover was asked once, above; one that cannot is asked about each thing
   * found.
   */
  private Boolean stillHeld(
      Item item,
      Username username,
      Map<String, SortedSet<Target>> held,
      List<String> findings,
      Offboarding o,
      int round,
      Instant now) {
    Connector connector = connectors.named(ConnectorName.of(item.system()));
    Set<Target> discovered = held.get(item.system());
    if (discovered != null) {
      return discovered.stream().anyMatch(t -> connector.sameTarget(t, Target.of(item.target())));
    }
    boolean still = connector.holds(username, Target.of(item.target()));
    if (still) {
      findings.add(
          finding(o, round, item.system(), username + " still holds " + item.target(), now));
    }
    return still;
  }

  private String finding(Offboarding o, int round, String system, String what, Instant now) {
    offboardings.insertFinding(o.id(), round, system, what, now);
    return system + ": " + what;
  }
}
