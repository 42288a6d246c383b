package io.portcullis.security;

import java.util.List;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.springframework.stereotype.Component;

/**
 * The engine authorizations that every directory user needs, made sure of at every start.
 * Everything else is denied by the engine: approvers get their tasks through Camunda's
 * candidate-group authorizations, admins get everything through the administrator plugin, and
 * nobody else can move a timer, change a variable or delete an instance through Cockpit or the
 * engine's REST API.
 */
@Component
class EngineAuthorizations extends AbstractProcessEnginePlugin {

  private final List<StartableProcess> startable;

  EngineAuthorizations(List<StartableProcess> startable) {
    this.startable = List.copyOf(startable);
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    AuthorizationService authorizations = engine.getAuthorizationService();
    grantToEveryone(authorizations, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    // anyone may ask for access; the process itself checks who asks and for what
    for (StartableProcess process : startable) {
      grantToEveryone(
          authorizations,
          Resources.PROCESS_DEFINITION,
          process.key(),
          Permissions.READ,
          Permissions.CREATE_INSTANCE);
    }
    grantToEveryone(
        authorizations, Resources.PROCESS_INSTANCE, Authorization.ANY, Permissions.CREATE);
  }

  static void grantToEveryone(
      AuthorizationService authorizations,
      Resource resource,
      String resourceId,
      Permission... permissions) {
    Authorization existing =
        authorizations
            .createAuthorizationQuery()
            .authorizationType(Authorization.AUTH_TYPE_GLOBAL)
            .resourceType(resource)
            .resourceId(resourceId)
            .singleResult();
    Authorization authorization =
        existing != null
            ? existing
            : authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
    if (existing == null) {
      authorization.setUserId(Authorization.ANY);
      authorization.setResource(resource);
      authorization.setResourceId(resourceId);
    }
    boolean changed = existing == null;
    for (Permission permission : permissions) {
      if (!authorization.isPermissionGranted(permission)) {
        authorization.addPermission(permission);
        changed = true;
      }
    }
    if (changed) {
      authorizations.saveAuthorization(authorization);
    }
  }
}
