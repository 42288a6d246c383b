package io.portcullis.drift;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connectors;
import io.portcullis.connector.MemberListing;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Component;

/**
 * What {@code processes/drift-sweep.bpmn} and {@code processes/drift-finding.bpmn} ask of Java:
 * when the sweep runs, what it sweeps, its report's opening and end, and a reported finding's task.
 */
@Component("driftSweep")
public class DriftSweep {

  private final DriftProperties properties;
  private final Catalog catalog;
  private final Connectors connectors;
  private final DriftSweeps sweeps;
  private final DriftFindings findings;

  DriftSweep(
      DriftProperties properties,
      Catalog catalog,
      Connectors connectors,
      DriftSweeps sweeps,
      DriftFindings findings) {
    this.properties = properties;
    this.catalog = catalog;
    this.connectors = connectors;
    this.sweeps = sweeps;
    this.findings = findings;
  }

  /** The timer's cycle, from {@code portcullis.drift.interval}. */
  public String cycle() {
    return "R/" + properties.interval();
  }

  /** The ids of the resources whose connector can list who holds a target. */
  public List<String> resources() {
    return catalog.all().stream()
        .filter(r -> connectors.named(r.connector(), MemberListing.class).isPresent())
        .map(Resource::id)
        .map(id -> id.value())
        .toList();
  }

  /** Opens the sweep's report, unless another sweep runs. */
  public void open(DelegateExecution execution) {
    sweeps.open(execution.getProcessInstanceId());
  }

  /** Whether another sweep ran when this one started: this one then ends and leaves it the work. */
  public boolean joined(DelegateExecution execution) {
    return sweeps.joined(execution.getProcessInstanceId());
  }

  /** Every resource is swept: the report is finished and the next sweep may start. */
  public void finish(DelegateExecution execution) {
    sweeps.finish(execution.getProcessInstanceId());
  }

  /** The candidate group of a finding's task. */
  public String adminGroup() {
    return findings.adminGroup();
  }

  public void findingOpened(DelegateTask task) {
    findings.opened(task);
  }

  public void findingClosed(DelegateTask task) {
    findings.closed(task);
  }
}
