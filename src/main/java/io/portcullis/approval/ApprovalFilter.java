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
import org.springframework.stereotype.Component;

/**
 * The Tasklist filter "Approvals for my groups", which every user sees: the tasks whose candidate
 * group is one of theirs. Made once; a process owner may change it in Tasklist afterwards.
 */
@Component
class ApprovalFilter extends AbstractProcessEnginePlugin {

  static final String NAME = "Approvals for my groups";

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    FilterService filters = engine.getFilterService();
    if (filters.createFilterQuery().filterName(NAME).count() > 0) {
      return;
    }
    Filter filter =
        filters
            .newTaskFilter(NAME)
            .setQuery(
                engine
                    .getTaskService()
                    .createTaskQuery()
                    .taskCandidateGroupInExpression("${currentUserGroups()}")
                    // a task someone of the group has claimed stays in the list, showing who has it
                    .includeAssignedTasks())
            .setProperties(
                Map.of(
                    "description",
                    "Access requests waiting for a decision by one of your groups",
                    "priority",
                    -10,
                    "refresh",
                    true));
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
