package io.portcullis.support;

import java.util.Map;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points an application context at a database of its own on the JVM's {@link PostgresServer}. */
class PostgresDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    PostgresServer server = PostgresServer.get();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "postgres-test-database",
                Map.of(
                    "spring.datasource.url", server.createDatabase(),
                    "spring.datasource.username", server.user(),
                    "spring.datasource.password", server.password(),
                    // many contexts share one server and each keeps its pool while cached: keep
                    // each pool small
                    "spring.datasource.hikari.maximum-pool-size", "8",
                    "spring.datasource.hikari.minimum-idle", "1")));
    server.opened();
    // destroyed last (singletons are destroyed in the reverse order of registration), after the
    // engine and the connection pool have let go of the database
    ((DefaultSingletonBeanRegistry) context.getBeanFactory())
        .registerDisposableBean("postgresTestDatabaseRelease", server::closed);
  }
}
