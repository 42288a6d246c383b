package io.portcullis.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.modulith.NamedInterface;

/**
 * Which directory groups hold Portcullis' roles, under {@code portcullis.roles}. Approvers are not
 * a role: each catalog resource names its own approver group.
 */
@NamedInterface("identity")
@ConfigurationProperties("portcullis.roles")
public record RoleProperties(String adminGroup, String auditorGroup, String hrGroup) {

  public RoleProperties {
    adminGroup = adminGroup == null ? "portcullis-admins" : adminGroup;
    auditorGroup = auditorGroup == null ? "auditors" : auditorGroup;
    hrGroup = hrGroup == null ? "hr-systems" : hrGroup;
  }
}
