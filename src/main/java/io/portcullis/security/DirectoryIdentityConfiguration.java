package io.portcullis.security;

import io.portcullis.directory.DirectoryProperties;
import org.camunda.bpm.engine.impl.plugin.AdministratorAuthorizationPlugin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.ldap.core.support.LdapContextSource;

/**
 * People and their groups come from the directory, for Tasklist, Cockpit, Admin and the engine's
 * REST API (through the engine's identity provider, {@link DirectoryIdentityPlugin}) and for
 * Portcullis' REST API (which checks passwords through the engine's identity service and reads
 * groups through {@code directory.GroupMemberships}, cached briefly), so every door sees the same
 * people. All of them read through Spring LDAP's connection, the one Spring Boot builds from {@code
 * spring.ldap.*} or the embedded demo directory: pooled ({@code directory.DirectoryPooling}), with
 * timeouts ({@code directory.DirectoryTimeouts}), failing over between the servers of {@code
 * spring.ldap.urls}.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryIdentityConfiguration {

  @Bean
  DirectoryIdentityPlugin directoryIdentityPlugin(
      LdapTemplate ldap, LdapContextSource connection, DirectoryProperties directory) {
    return new DirectoryIdentityPlugin(new DirectoryEntries(ldap, connection, directory));
  }

  /**
   * Members of the admin group hold every permission in Cockpit, Admin and the engine's REST API.
   */
  @Bean
  AdministratorAuthorizationPlugin administratorAuthorizationPlugin(RoleProperties roles) {
    AdministratorAuthorizationPlugin plugin = new AdministratorAuthorizationPlugin();
    plugin.setAdministratorGroupName(roles.adminGroup());
    return plugin;
  }
}
