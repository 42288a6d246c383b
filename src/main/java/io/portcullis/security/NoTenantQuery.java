package io.portcullis.security;

import java.util.List;
import org.camunda.bpm.engine.identity.Tenant;
import org.camunda.bpm.engine.impl.Page;
import org.camunda.bpm.engine.impl.TenantQueryImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;

/** Portcullis runs one engine for one organisation: the directory knows no tenants. */
class NoTenantQuery extends TenantQueryImpl {

  NoTenantQuery() {
    super();
  }

  NoTenantQuery(CommandExecutor commands) {
    super(commands);
  }

  @Override
  public long executeCount(CommandContext context) {
    return 0;
  }

  @Override
  public List<Tenant> executeList(CommandContext context, Page page) {
    return List.of();
  }
}
