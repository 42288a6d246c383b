package io.portcullis.security;

import java.util.List;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.GroupQueryImpl;
import org.camunda.bpm.engine.impl.Page;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;

/** The engine's group query, answered from the directory by {@link DirectoryIdentitySession}. */
class DirectoryGroupQuery extends GroupQueryImpl {

  DirectoryGroupQuery() {
    super();
  }

  DirectoryGroupQuery(CommandExecutor commands) {
    super(commands);
  }

  /** The process definition of {@code potentialStarter}, which the directory cannot answer. */
  String potentialStarterOf() {
    return procDefId;
  }

  @Override
  public long executeCount(CommandContext context) {
    return DirectoryIdentitySession.of(context).countGroups(this);
  }

  @Override
  public List<Group> executeList(CommandContext context, Page page) {
    return DirectoryIdentitySession.of(context).findGroups(this);
  }
}
