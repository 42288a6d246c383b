package io.portcullis.operations;

import io.portcullis.audit.AuditProperties;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the migrations need to know of this node's settings, as Flyway placeholders: the runtime
 * role ({@code spring.datasource.username}), to which the migration role ({@code
 * spring.flyway.user}) grants what the nodes need and no more on the audit trail, and the audit
 * retention ({@code portcullis.audit.retention}), the database's own bound on what pruning may
 * delete ({@code db/vendor/postgresql/afterMigrate__runtime_role.sql}).
 */
@Component
class DatabaseRoles implements FlywayConfigurationCustomizer {

  private final String runtimeRole;
  private final AuditProperties audit;

  DatabaseRoles(
      @Value("${spring.datasource.username:}") String runtimeRole, AuditProperties audit) {
    this.runtimeRole = runtimeRole;
    this.audit = audit;
  }

  @Override
  public void customize(FluentConfiguration configuration) {
    Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
    // a quote cannot end the SQL string literal that the name is written into
    placeholders.put("runtime_role", runtimeRole.strip().replace("'", "''"));
    placeholders.put(
        "audit_retention_seconds",
        audit.retention() == null ? "null" : Long.toString(audit.retention().toSeconds()));
    configuration.placeholders(placeholders);
  }
}
