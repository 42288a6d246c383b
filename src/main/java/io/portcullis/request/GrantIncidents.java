package io.portcullis.request;

import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.incident.DefaultIncidentHandler;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.persistence.entity.AcquirableJobEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.IncidentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.stereotype.Component;

/**
 * A request whose grant has run out of retries is FAILED while its incident is open, and PENDING
 * again once an operator resolves it (Cockpit's retry), or once a way out ends the grant's attempt
 * (its job goes, and the revoke runs). The status is written in the incident's own transaction. A
 * failing revoke does not change the status: the access stays ACTIVE (or PENDING, for a grant never
 * confirmed) until it is gone.
 */
@Component
class GrantIncidents extends AbstractProcessEnginePlugin {

  private static final Set<String> GRANT_STEPS =
      Set.of(
          AccessProcess.TASK_CHECK_STANDING,
          AccessProcess.TASK_START_CLOCK,
          AccessProcess.TASK_GRANT);

  private final AccessRequestRepository requests;

  GrantIncidents(AccessRequestRepository requests) {
    this.requests = requests;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setCustomIncidentHandlers(
        List.of(
            new DefaultIncidentHandler(Incident.FAILED_JOB_HANDLER_TYPE) {
              @Override
              public Incident handleIncident(IncidentContext context, String message) {
                Incident incident = super.handleIncident(context, message);
                if (context.getActivityId() != null
                    && GRANT_STEPS.contains(context.getActivityId())) {
                  requestOf(context, RequestStatus.PENDING, RequestStatus.FAILED);
                }
                return incident;
              }

              /**
               * The engine calls this for every job it deletes, whether the job had an incident or
               * not; the request is looked at only when an incident was there, so a step that never
               * failed costs no query of ours (it cost two per job under load, issue 14).
               */
              @Override
              protected void removeIncident(IncidentContext context, boolean resolved) {
                if (retriesLeft(context)) {
                  return;
                }
                List<Incident> open =
                    Context.getCommandContext()
                        .getIncidentManager()
                        .findIncidentByConfiguration(context.getConfiguration());
                for (Incident incident : open) {
                  if (resolved) {
                    ((IncidentEntity) incident).resolve();
                  } else {
                    ((IncidentEntity) incident).delete();
                  }
                }
                if (!open.isEmpty()) {
                  requestOf(context, RequestStatus.FAILED, RequestStatus.PENDING);
                }
              }
            }));
  }

  /**
   * Whether the job the engine removes incidents for still has retries, and so has no incident: the
   * engine opens a job's incident as its retries reach 0 and resolves it as they are set above 0
   * again ({@code JobEntity.setRetries}), so only a job at 0 can have one. A job that ran once and
   * succeeded is deleted with its retries, and its look-up of incidents, one query per step, is
   * saved (issue 31). A job not in the command's cache is looked up as the engine would.
   */
  private static boolean retriesLeft(IncidentContext context) {
    DbEntity cached =
        Context.getCommandContext()
            .getDbEntityManager()
            .getCachedEntity(AcquirableJobEntity.class, context.getConfiguration());
    return cached instanceof JobEntity job && job.getRetries() > 0;
  }

  /** Only a grant step sets FAILED, so resolving any incident of the request may move it back. */
  private void requestOf(IncidentContext context, RequestStatus from, RequestStatus to) {
    if (context.getExecutionId() == null) {
      return;
    }
    ExecutionEntity execution =
        Context.getCommandContext()
            .getExecutionManager()
            .findExecutionById(context.getExecutionId());
    if (execution != null && AccessProcess.KEY.equals(execution.getProcessDefinition().getKey())) {
      requests
          .findByProcessInstance(execution.getProcessInstanceId())
          .ifPresent(r -> requests.markStatus(r.id(), from, to));
    }
  }
}
