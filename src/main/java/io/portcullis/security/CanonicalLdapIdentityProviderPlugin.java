package io.portcullis.security;

import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.identity.impl.ldap.LdapConfiguration;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderFactory;
import org.camunda.bpm.identity.impl.ldap.LdapIdentityProviderSession;
import org.camunda.bpm.identity.impl.ldap.plugin.LdapIdentityProviderPlugin;

/**
 * Camunda's LDAP identity plugin, with one rule more: a password is checked only for the directory's
 * own name of a person. The directory matches {@code BOB} and {@code bob } as {@code bob}; every door of
 * Portcullis turns a name into that canonical form before it checks a password ({@link DirectoryLogin}),
 * and a door that did not (one nobody built on purpose) fails closed here instead of letting a second
 * spelling of a person in, where it would slip past every comparison by name.
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

    @Override
    public boolean checkPassword(String userId, String password) {
      User user = userId == null || userId.isEmpty() ? null : findUserById(userId);
      return user != null && user.getId().equals(userId) && super.checkPassword(userId, password);
    }
  }
}
