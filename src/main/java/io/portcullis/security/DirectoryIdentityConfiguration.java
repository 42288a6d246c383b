package io.portcullis.security;

import io.portcullis.directory.DirectoryPoolProperties;
import io.portcullis.directory.DirectoryPooling;
import io.portcullis.directory.DirectoryProperties;
import io.portcullis.directory.DirectoryTimeouts;
import org.camunda.bpm.engine.impl.plugin.AdministratorAuthorizationPlugin;
import org.camunda.bpm.identity.impl.ldap.plugin.LdapIdentityProviderPlugin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.ldap.core.support.LdapContextSource;

/**
 * People and their groups come from the directory, for Tasklist and Cockpit (through Camunda's LDAP
 * identity plugin) and for Portcullis' REST API (which checks passwords through the engine's
 * identity service and reads groups through {@code directory.GroupMemberships}, cached briefly), so
 * both see the same people. Both use pooled connections ({@code directory.DirectoryPooling}). The
 * connection is the one Spring Boot builds from {@code spring.ldap.*}, or the embedded demo
 * directory.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryIdentityConfiguration {

  @Bean
  LdapIdentityProviderPlugin ldapIdentityProviderPlugin(
      LdapContextSource connection, DirectoryProperties directory, DirectoryPoolProperties pool) {
    LdapIdentityProviderPlugin plugin = new CanonicalLdapIdentityProviderPlugin();
    // every URL, space-separated as JNDI takes them: a connection goes to the first that answers,
    // so logins
    // fail over between the directory's servers as the connectors (Spring LDAP, the same list) do
    plugin.setServerUrl(String.join(" ", connection.getUrls()));
    plugin.setManagerDn(connection.getUserDn());
    plugin.setManagerPassword(connection.getPassword());
    plugin.setBaseDn(directory.baseDn());
    plugin.setUserSearchBase(directory.people());
    plugin.setUserSearchFilter("(objectClass=" + directory.userObjectClass() + ")");
    plugin.setUserIdAttribute(directory.userIdAttribute());
    plugin.setUserFirstnameAttribute("givenName");
    plugin.setUserLastnameAttribute("sn");
    plugin.setUserEmailAttribute("mail");
    plugin.setUserPasswordAttribute("userPassword");
    plugin.setGroupSearchBase(directory.groups());
    plugin.setGroupSearchFilter("(objectClass=" + directory.groupObjectClass() + ")");
    plugin.setGroupIdAttribute(directory.groupIdAttribute());
    plugin.setGroupNameAttribute(directory.groupIdAttribute());
    plugin.setGroupMemberAttribute(directory.memberAttribute());
    // the directory's people and groups (names, e-mail addresses, memberships) are for admins to
    // read through the engine's REST API and Cockpit; Portcullis' own look-ups run without a caller
    plugin.setAuthorizationCheckEnabled(true);
    plugin.getContextProperties().putAll(DirectoryTimeouts.environment(directory));
    // logins and the webapps' look-ups reuse pooled connections, as the rest of Portcullis does
    plugin.getContextProperties().putAll(DirectoryPooling.environment(pool));
    return plugin;
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
