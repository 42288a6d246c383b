package io.portcullis.drift;

import io.portcullis.audit.AuditAction;
import io.portcullis.audit.AuditEvent;
import io.portcullis.audit.AuditTrail;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.NotFoundException;
import io.portcullis.kernel.Username;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The sweeps and their reports: one opens when {@code processes/drift-sweep.bpmn} starts (its
 * timer, or an admin's ask through {@link #start}), one at a time; a start while one runs is left
 * to the running one (the timer) or refused with a conflict (an admin, who reads the running one's
 * report). A sweep stopped by an incident no longer runs in that sense ({@link #alive}).
 */
@Service
public class DriftSweeps {

  /** The stored id of a sweep. */
  public static final String ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private final DriftReports reports;
  private final AuditTrail audit;
  private final ProcessEngine engine;

  // the engine is lazy: the sweep's model names a bean that needs this one
  DriftSweeps(DriftReports reports, AuditTrail audit, @Lazy ProcessEngine engine) {
    this.reports = reports;
    this.audit = audit;
    this.engine = engine;
  }

  /**
   * Starts a sweep now, for an admin (the caller checks the role), or refuses with a conflict while
   * another runs. The sweep's start needs none of the caller's engine permissions.
   */
  @Transactional
  public SweepReport start(Username by) {
    reports.running().filter(this::alive).ifPresent(DriftSweeps::refuseWhileRunning);
    ProcessInstance instance =
        ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getCommandExecutorTxRequired()
            .execute(
                context ->
                    context.runWithoutAuthorization(
                        () ->
                            engine
                                .getRuntimeService()
                                .startProcessInstanceByKey(DriftProcess.KEY)));
    DriftReports.Sweep sweep =
        reports
            .ofInstance(instance.getId())
            // a sweep that another start opened meanwhile runs; this start is undone with the
            // transaction
            .orElseThrow(
                () ->
                    new ConflictException(
                        "a drift sweep started meanwhile and runs; read GET /api/drift-sweeps"));
    reports.startedBy(sweep.id(), by.value());
    audit.record(
        AuditEvent.Draft.by(by.value(), AuditAction.DRIFT_SWEEP_STARTED)
            .detail("sweep", sweep.id()));
    return report(sweep.id());
  }

  /** Opens the report of the instance's sweep unless another sweep runs; see {@link #joined}. */
  void open(String processInstanceId) {
    if (reports.ofInstance(processInstanceId).isPresent()) {
      return;
    }
    Instant now = now();
    // a sweep whose instance an operator deleted, or an incident stopped, never finishes: it holds
    // no later one up
    reports.running().filter(s -> !alive(s)).ifPresent(s -> reports.finish(s.id(), now));
    reports.open(UUID.randomUUID().toString(), processInstanceId, SweepResource.ACTOR, now);
  }

  /** Whether this instance found another sweep running and leaves the work to it. */
  boolean joined(String processInstanceId) {
    return reports.ofInstance(processInstanceId).isEmpty();
  }

  void finish(String processInstanceId) {
    reports.ofInstance(processInstanceId).ifPresent(s -> reports.finish(s.id(), now()));
  }

  public SweepReport report(String id) {
    DriftReports.Sweep sweep =
        reports
            .find(id)
            .orElseThrow(() -> new NotFoundException("no drift sweep has the id " + id));
    return view(sweep, reports.resources(id));
  }

  /** Newest first, without their resources. */
  public List<SweepReport> page(int page, int size) {
    return reports.page(page, size).stream().map(s -> view(s, null)).toList();
  }

  public long count() {
    return reports.count();
  }

  /**
   * Whether the sweep still runs: its instance exists and no incident stopped it. An incident comes
   * only once a step's retries ran out, and then nothing moves the instance on but an operator: it
   * is theirs to mend or delete (Cockpit), and it holds no later sweep up, which finds whoever the
   * stuck one left behind. Should an operator retry it, two sweeps overlap, which is safe: a
   * removal holds its people and a reported finding has one task.
   */
  private boolean alive(DriftReports.Sweep sweep) {
    String instance = sweep.processInstanceId();
    return engine
                .getRuntimeService()
                .createProcessInstanceQuery()
                .processInstanceId(instance)
                .count()
            > 0
        && engine.getRuntimeService().createIncidentQuery().processInstanceId(instance).count()
            == 0;
  }

  private static void refuseWhileRunning(DriftReports.Sweep running) {
    throw new ConflictException(
        "drift sweep "
            + running.id()
            + " runs; read its report at /api/drift-sweeps/"
            + running.id());
  }

  private static SweepReport view(DriftReports.Sweep s, List<SweepReport.ResourceSwept> resources) {
    return new SweepReport(
        s.id(),
        s.startedBy(),
        s.startedAt(),
        s.finishedAt(),
        s.finishedAt() == null ? "running" : "finished",
        resources);
  }

  static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
