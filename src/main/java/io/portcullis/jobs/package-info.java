/**
 * The job executor across crashes, restarts and nodes: each node locks jobs under a stable name of
 * its own ({@code portcullis.jobs.node-name}), holds that name by a lease that no live twin can
 * share ({@link io.portcullis.jobs.NodeLease}), and releases when it starts the locks that a killed
 * process of it left behind. Jobs of a node that does not come back are taken over by another once
 * their lock expires ({@code camunda.bpm.job-execution.lock-time-in-millis}, with a margin over the
 * longest step, the directory's or a connector instance's, {@link
 * io.portcullis.jobs.LockTimeMargin}). A node takes jobs only while it holds its name and its clock
 * agrees with the database's ({@link io.portcullis.jobs.NodeClock}, {@link
 * io.portcullis.jobs.JobAcquisitionGate}). And the engine's history: the level of our own ({@link
 * io.portcullis.jobs.PortcullisHistoryLevel}) and the one handler that hands each event to the
 * features that learn from it ({@link io.portcullis.jobs.HistoryListeners}).
 *
 * <p>Offers the features the history's hook ({@code jobs :: history}) and {@code approval} the
 * names of the engine's tables ({@code jobs :: tables}). Allowed dependencies:
 * docs/architecture.md, "Modules" ({@code ModularityTests} fails on any other).
 */
@ApplicationModule(allowedDependencies = {"connector", "directory"})
package io.portcullis.jobs;

import org.springframework.modulith.ApplicationModule;
