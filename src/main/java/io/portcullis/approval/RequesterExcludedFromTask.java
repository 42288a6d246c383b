package io.portcullis.approval;

import io.portcullis.request.AccessProcess;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.context.Context;
import org.springframework.stereotype.Component;

/**
 * When an approval task is created, the requester is refused every permission on it, even when they are
 * in the approver group: a user's REVOKE outweighs a group's GRANT in Camunda's authorizations. So the
 * requester neither sees the task in Tasklist nor can complete it through the engine's REST API (403).
 * {@link ApprovalGuard} enforces the same rule once more when the task completes. Camunda deletes a
 * task's authorizations together with the task.
 */
@Component("requesterExcludedFromTask")
public class RequesterExcludedFromTask implements TaskListener {

  @Override
  public void notify(DelegateTask task) {
    String requester = (String) task.getVariable(AccessProcess.REQUESTER);
    AuthorizationService authorizations = task.getProcessEngineServices().getAuthorizationService();
    Context.getCommandContext().runWithoutAuthorization(() -> {
      Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
      revoke.setUserId(requester);
      revoke.setResource(Resources.TASK);
      revoke.setResourceId(task.getId());
      revoke.removePermission(Permissions.ALL);
      authorizations.saveAuthorization(revoke);
      return null;
    });
  }
}
