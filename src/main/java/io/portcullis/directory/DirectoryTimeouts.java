package io.portcullis.directory;

import java.util.HashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.ldap.LdapProperties;
import org.springframework.ldap.core.support.LdapContextSource;
import org.springframework.stereotype.Component;

/**
 * JNDI waits forever for a directory that accepts a connection but never answers, which would hold
 * a request thread or a job executor thread for good. Every LDAP connection of Portcullis gets a
 * connect and a read timeout ({@code portcullis.directory.connect-timeout}, {@code read-timeout});
 * a timed-out grant or revoke fails and is retried like any other failure.
 */
@Component
public class DirectoryTimeouts implements BeanPostProcessor {

  public static final String CONNECT_TIMEOUT = "com.sun.jndi.ldap.connect.timeout";
  public static final String READ_TIMEOUT = "com.sun.jndi.ldap.read.timeout";

  private final ObjectProvider<DirectoryProperties> directory;
  private final ObjectProvider<LdapProperties> ldap;

  DirectoryTimeouts(
      ObjectProvider<DirectoryProperties> directory, ObjectProvider<LdapProperties> ldap) {
    this.directory = directory;
    this.ldap = ldap;
  }

  /** The JNDI environment entries for the configured timeouts. */
  public static Map<String, String> environment(DirectoryProperties directory) {
    return Map.of(
        CONNECT_TIMEOUT,
        Long.toString(directory.connectTimeout().toMillis()),
        READ_TIMEOUT,
        Long.toString(directory.readTimeout().toMillis()));
  }

  @Override
  public Object postProcessBeforeInitialization(Object bean, String beanName) {
    if (bean instanceof LdapContextSource source) {
      Map<String, Object> environment = new HashMap<>();
      LdapProperties configured = ldap.getIfAvailable();
      if (configured != null) {
        environment.putAll(configured.getBaseEnvironment());
      }
      environment.putAll(environment(directory.getObject()));
      source.setBaseEnvironmentProperties(environment);
    }
    return bean;
  }
}
