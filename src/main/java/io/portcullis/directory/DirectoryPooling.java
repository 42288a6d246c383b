package io.portcullis.directory;

import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.stereotype.Component;

/**
 * Every directory client of Portcullis reuses pooled LDAP connections instead of opening one per
 * call (measured before: six new connections per HTTP request). The pool is the JDK's own LDAP
 * connection pool, so one mechanism serves Spring LDAP (the ldap-group connector, {@link
 * GroupMemberships}) and Camunda's LDAP identity plugin (logins, the webapps' group look-ups)
 * alike; its connections keep the connect and read timeouts of {@link DirectoryTimeouts}.
 *
 * <p>The JDK pools per identity: the service account's connections are shared by all, and a
 * person's login binds on a pooled connection of their own, reused by their next request. The
 * pool's size and idle timeout are JVM-wide system properties that the JDK reads once, at its first
 * pooled connection; they are set here from {@code portcullis.directory.pool-*} unless the JVM was
 * started with them.
 */
@Component
public class DirectoryPooling implements BeanPostProcessor {

  /** The JNDI environment entry that asks for a pooled connection. */
  public static final String POOL = "com.sun.jndi.ldap.connect.pool";

  private final ObjectProvider<DirectoryPoolProperties> settings;

  DirectoryPooling(ObjectProvider<DirectoryPoolProperties> settings) {
    this.settings = settings;
  }

  /**
   * The JNDI environment entries for a pooled connection, for clients that build their own
   * environment.
   */
  public static Map<String, String> environment(DirectoryPoolProperties pool) {
    configureJvmPool(pool);
    return Map.of(POOL, "true");
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof LdapContextSource source) {
      configureJvmPool(settings.getObject());
      source.setPooled(true);
    }
    return bean;
  }

  private static synchronized void configureJvmPool(DirectoryPoolProperties pool) {
    setUnlessGiven("com.sun.jndi.ldap.connect.pool.maxsize", Integer.toString(pool.poolMaxSize()));
    setUnlessGiven(
        "com.sun.jndi.ldap.connect.pool.timeout", Long.toString(pool.poolIdleTimeout().toMillis()));
    // the JDK pools only plain connections unless told otherwise: ldaps:// is pooled too
    setUnlessGiven("com.sun.jndi.ldap.connect.pool.protocol", "plain ssl");
  }

  private static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
