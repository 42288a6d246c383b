package io.portcullis.security;

import java.util.Hashtable;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.ldap.InitialLdapContext;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.IdentityProviderException;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.identity.impl.ldap.LdapConfiguration;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderFactory;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderSession;
import org.camunda.bpm.identity.impl.ldap.LdapUserEntity;
import org.camunda.bpm.identity.impl.ldap.plugin.LdapIdentityProviderPlugin;

/**
 * Camunda's LDAP identity plugin, with one rule more: a password is checked only for the
 * directory's own name of a person. The directory matches {@code BOB} and {@code bob } as {@code
 * bob}; every door of Portcullis turns a name into that canonical form before it checks a password
 * ({@link DirectoryLogin}), and a door that did not (one nobody built on purpose) fails closed here
 * instead of letting a second spelling of a person in, where it would slip past every comparison by
 * name.
 */
class CanonicalLdapIdentityProviderPlugin extends LdapIdentityProviderPlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    super.preInit(configuration);
    Factory factory = new Factory();
    factory.setLdapConfiguration(this);
    configuration.setIdentityProviderSessionFactory(factory);
  }

  static final class Factory extends LdapIdentityProviderFactory {
    @Override
    public Session openSession() {
      return new CanonicalSession(ldapConfiguration);
    }
  }

  static final class CanonicalSession extends LdapIdentityProviderSession {

    CanonicalSession(LdapConfiguration configuration) {
      super(configuration);
    }

    /**
     * The password is checked by a bind of its own, never on a pooled connection: the pool keys its
     * connections by name and password and hands back one that bound before without asking the
     * directory again, so a person disabled (or offboarded) since would go on logging in for as
     * long as that connection lives.
     */
    @Override
    public boolean checkPassword(String userId, String password) {
      if (userId == null || userId.isEmpty() || password == null || password.isEmpty()) {
        return false;
      }
      User user = findUserById(userId);
      if (!(user instanceof LdapUserEntity person) || !user.getId().equals(userId)) {
        return false;
      }
      Hashtable<String, String> environment = new Hashtable<>();
      ldapConfiguration
          .getContextProperties()
          .forEach(
              (name, value) -> {
                if (!name.startsWith("com.sun.jndi.ldap.connect.pool")) {
                  environment.put(name, value);
                }
              });
      environment.put(
          Context.INITIAL_CONTEXT_FACTORY, ldapConfiguration.getInitialContextFactory());
      environment.put(Context.PROVIDER_URL, ldapConfiguration.getServerUrl());
      environment.put(
          Context.SECURITY_AUTHENTICATION, ldapConfiguration.getSecurityAuthentication());
      environment.put(Context.SECURITY_PRINCIPAL, person.getDn());
      environment.put(Context.SECURITY_CREDENTIALS, password);
      if (ldapConfiguration.isUseSsl()) {
        environment.put(Context.SECURITY_PROTOCOL, "ssl");
      }
      environment.put("com.sun.jndi.ldap.connect.pool", "false");
      try {
        new InitialLdapContext(environment, null).close();
        return true;
      } catch (AuthenticationException e) {
        return false;
      } catch (NamingException e) {
        throw new IdentityProviderException("the directory could not check a password", e);
      }
    }
  }
}
