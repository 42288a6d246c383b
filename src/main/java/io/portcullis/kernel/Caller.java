package io.portcullis.kernel;

import java.util.List;
import java.util.Set;

/**
 * Who is calling the API: a person or a system account from the directory, under the directory's
 * own name for them, with its groups and roles. A plain value every door's feature reads; {@code
 * security} makes it at login (docs/architecture.md, "Modules").
 */
public record Caller(Username username, List<String> groups, Set<Role> roles) {

  public enum Role {
    ADMIN,
    AUDITOR,
    HR
  }

  public boolean is(Role role) {
    return roles.contains(role);
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }
}
