package io.portcullis.security;

import java.util.List;
import java.util.Set;

/** Who is calling the API: a person or a system account from the directory, with its groups and roles. */
public record Caller(String username, List<String> groups, Set<Role> roles) {

  /** A person's or system's name as it may be typed at a login or given in a filter. */
  public static final String USERNAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._@-]{0,63}";

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
