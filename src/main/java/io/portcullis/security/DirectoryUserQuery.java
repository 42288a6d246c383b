package io.portcullis.security;

import java.util.List;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.Page;
import org.camunda.bpm.engine.impl.UserQueryImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;

/** The engine's user query, answered from the directory by {@link DirectoryIdentitySession}. */
class DirectoryUserQuery extends UserQueryImpl {

  DirectoryUserQuery() {
    super();
  }

  DirectoryUserQuery(CommandExecutor commands) {
    super(commands);
  }

  /** The process definition of {@code potentialStarter}, which the directory cannot answer. */
  String potentialStarterOf() {
    return procDefId;
  }

  @Override
  public long executeCount(CommandContext context) {
    return DirectoryIdentitySession.of(context).countUsers(this);
  }

  @Override
  public List<User> executeList(CommandContext context, Page page) {
    return DirectoryIdentitySession.of(context).findUsers(this);
  }
}
