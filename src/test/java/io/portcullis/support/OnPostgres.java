package io.portcullis.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a Spring test class on PostgreSQL instead of H2: put it on a subclass of an SQL test class
 * ({@code class AuditTrailOnPostgresTest extends AuditTrailTest}), which then runs every test of
 * its parent on a fresh database of the JVM's {@link PostgresServer}. Tagged {@code postgres}, so
 * that {@code -Ppostgres} can run just these against an external server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("postgres")
@ContextConfiguration(initializers = PostgresDatabase.class)
public @interface OnPostgres {}
