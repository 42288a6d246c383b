package io.portcullis.directory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.stereotype.Component;

/**
 * Every directory client of Portcullis reuses pooled LDAP connections instead of opening one per
 * call (measured before: six new connections per HTTP request). The pool is the JDK's own LDAP
 * connection pool, under Spring LDAP's connection to the directory, so it serves every reader alike
 * (the ldap-group connector, {@link GroupMemberships}, the engine's identity provider: the webapps'
 * and the engine REST API's look-ups of people and groups); its connections keep the connect and
 * read timeouts of {@link DirectoryTimeouts}. A password is never checked on a pooled connection.
 *
 * <p>The JDK pools per identity: the service account's connections are shared by all readers; a
 * login's bind opens a connection of its own and closes it (the identity provider's rule). The
 * pool's size and idle timeout are JVM-wide system properties that the JDK reads once, at its first
 * pooled connection; they are set here from {@code portcullis.directory.pool-*} unless the JVM was
 * started with them.
 */
@Component
public class DirectoryPooling implements BeanPostProcessor {

  private final ObjectProvider<DirectoryPoolProperties> settings;

  DirectoryPooling(ObjectProvider<DirectoryPoolProperties> settings) {
    this.settings = settings;
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
