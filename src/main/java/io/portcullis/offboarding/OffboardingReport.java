package io.portcullis.offboarding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The evidence of an offboarding, system by system: what was found in each round, what was done to
 * it and when, how it was verified, every failure and retry, the findings and how an admin resolved
 * them. Built from Portcullis' own records, which the saga wrote in the transactions of its steps.
 */
@Component
class OffboardingReport {

  private final OffboardingRepository offboardings;

  OffboardingReport(OffboardingRepository offboardings) {
    this.offboardings = offboardings;
  }

  Report of(Offboarding o) {
    List<Item> items = offboardings.items(o.id());
    List<OffboardingRepository.Failure> failures = offboardings.failures(o.id());
    Map<Long, Item> byId = new LinkedHashMap<>();
    items.forEach(i -> byId.put(i.id(), i));
    Map<String, List<ItemView>> perSystem = new LinkedHashMap<>();
    for (Item i : items) {
      perSystem.computeIfAbsent(i.system(), s -> new ArrayList<>()).add(ItemView.of(i));
    }
    Map<String, List<FailureView>> failuresPerSystem = new LinkedHashMap<>();
    for (OffboardingRepository.Failure f : failures) {
      Item about = f.itemId() == null ? null : byId.get(f.itemId());
      String system = about != null ? about.system() : f.system() != null ? f.system() : "saga";
      failuresPerSystem
          .computeIfAbsent(system, s -> new ArrayList<>())
          .add(
              new FailureView(
                  f.at(),
                  f.step(),
                  about == null ? null : about.target(),
                  f.retriesLeft(),
                  f.incident(),
                  f.error()));
    }
    List<SystemView> systems = new ArrayList<>();
    perSystem.forEach(
        (system, its) ->
            systems.add(
                new SystemView(system, its, failuresPerSystem.getOrDefault(system, List.of()))));
    failuresPerSystem.forEach(
        (system, fs) -> {
          if (!perSystem.containsKey(system)) {
            systems.add(new SystemView(system, List.of(), fs));
          }
        });
    List<FindingView> findings =
        offboardings.findings(o.id()).stream()
            .map(f -> new FindingView(f.round(), f.system(), f.what(), f.foundAt()))
            .toList();
    List<ResolutionView> resolutions =
        offboardings.resolutions(o.id()).stream()
            .map(r -> new ResolutionView(r.resolution(), r.by(), r.comment(), r.at()))
            .toList();
    List<AskView> asks = offboardings.asks(o.id()).stream().map(AskView::of).toList();
    return new Report(
        asks,
        offboardings.personFound(o.id()),
        offboardings.frozenAt(o.id()),
        offboardings.round(o.id()),
        systems,
        findings,
        resolutions);
  }

  /**
   * @param asks every ask that reached the offboarding: the one that started it, and each that
   *     moved it earlier
   * @param personFound null until the saga looked the person up; then what its last look-up found
   * @param frozenAt when Portcullis began to refuse the person at every door
   * @param rounds how many times the saga looked the person up, discovered and verified (one more
   *     for each admin's retry)
   */
  record Report(
      List<AskView> asks,
      Boolean personFound,
      Instant frozenAt,
      int rounds,
      List<SystemView> systems,
      List<FindingView> findings,
      List<ResolutionView> resolutions) {}

  /**
   * @param door {@code api} (the HR API) or {@code scim} (the identity provider)
   * @param effectiveAt the time asked for; the moment of the ask when it asked for now
   * @param outcome {@code started}, {@code moved earlier} or {@code brought forward to now}
   * @param movedFrom the effective time a move took the offboarding from
   * @param appliedAt when the saga took it
   */
  record AskView(
      Instant at,
      String by,
      String door,
      String reference,
      String reason,
      Instant effectiveAt,
      String outcome,
      Instant movedFrom,
      Instant appliedAt) {
    static AskView of(Ask a) {
      return new AskView(
          a.at(),
          a.by(),
          a.door().value(),
          a.reference(),
          a.reason(),
          a.effectiveAt(),
          a.outcome().words(),
          a.movedFrom(),
          a.appliedAt());
    }
  }

  record SystemView(String system, List<ItemView> items, List<FailureView> failures) {}

  /**
   * @param kind ACCOUNT, GRANT, STANDING, PENDING_REQUEST, TASK or DELEGATION
   * @param requestId the access request of a GRANT or PENDING_REQUEST; the task's id for a TASK;
   *     the delegation's id for a DELEGATION
   * @param doneAt when it was disabled, revoked, ended or handed back; null while it is not
   * @param stillThere what verification read back (null: not verified in its round)
   */
  record ItemView(
      int round,
      String kind,
      String target,
      String requestId,
      Instant foundAt,
      Instant doneAt,
      String how,
      Instant verifiedAt,
      Boolean stillThere) {
    static ItemView of(Item i) {
      return new ItemView(
          i.round(),
          i.kind().name(),
          i.target(),
          i.requestId(),
          i.foundAt(),
          i.doneAt(),
          i.doneHow(),
          i.verifiedAt(),
          i.stillThere());
    }
  }

  record FailureView(
      Instant at, String step, String target, int retriesLeft, boolean incident, String error) {}

  record FindingView(int round, String system, String what, Instant foundAt) {}

  record ResolutionView(String resolution, String by, String comment, Instant at) {}
}
