package io.portcullis.approval;

import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.stereotype.Component;

/**
 * The Tasklist filters every user sees: "Approvals for my groups", the tasks whose candidate group
 * is one of theirs, and "Approvals for me, delegated ones too", which adds the tasks offered to
 * them as a delegate ({@link DelegatedTasks}). Each made once; a process owner may change it in
 * Tasklist afterwards.
 */
@Component
class ApprovalFilter extends AbstractProcessEnginePlugin {

  static final String NAME = "Approvals for my groups";

  static final String DELEGATED = "Approvals for me, delegated ones too";

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    make(
        engine,
        NAME,
        engine
            .getTaskService()
            .createTaskQuery()
            .taskCandidateGroupInExpression("${currentUserGroups()}")
            // a task someone of the group has claimed stays in the list, showing who has it
            .includeAssignedTasks(),
        "Access requests waiting for a decision by one of your groups",
        -10);
    make(
        engine,
        DELEGATED,
        engine
            .getTaskService()
            .createTaskQuery()
            .taskDefinitionKey(ApprovalProcess.TASK_APPROVE)
            // a candidate user: by their groups, or as a delegate in force
            .taskCandidateUserExpression("${currentUser()}")
            .includeAssignedTasks(),
        "Access requests waiting for your decision, those of your groups and those delegated to you",
        -9);
  }

  private static void make(
      ProcessEngine engine, String name, TaskQuery query, String description, int priority) {
    FilterService filters = engine.getFilterService();
    if (filters.createFilterQuery().filterName(name).count() > 0) {
      return;
    }
    Filter filter =
        filters
            .newTaskFilter(name)
            .setQuery(query)
            .setProperties(
                Map.of("description", description, "priority", priority, "refresh", true));
    filters.saveFilter(filter);

    AuthorizationService authorizations = engine.getAuthorizationService();
    Authorization everyoneReads =
        authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
    everyoneReads.setUserId(Authorization.ANY);
    everyoneReads.setResource(Resources.FILTER);
    everyoneReads.setResourceId(filter.getId());
    everyoneReads.addPermission(Permissions.READ);
    authorizations.saveAuthorization(everyoneReads);
  }
}
