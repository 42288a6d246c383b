/**
 * The job executor across crashes and restarts: each node locks jobs under a stable name of its own
 * ({@code portcullis.jobs.node-name}), and releases when it starts the locks that a killed process of it
 * left behind. Jobs of a node that does not come back are taken over by another once their lock expires
 * ({@code camunda.bpm.job-execution.lock-time-in-millis}, fitted to the longest step). And the engine's
 * history: the level of our own ({@link io.portcullis.jobs.PortcullisHistoryLevel}) and the one handler
 * that hands each event to the features that learn from it ({@link io.portcullis.jobs.HistoryListeners}).
 */
package io.portcullis.jobs;
