package io.portcullis.directory;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where people and groups live in the directory. The connection itself (URL, bind DN, password) is
 * Spring Boot's {@code spring.ldap.*}; these say how to read the tree. Identity (who logs in, their
 * groups) and the ldap-group connector both read the directory through these settings.
 *
 * @param baseDn the directory's base DN, for example {@code dc=example,dc=com}
 * @param people where people are, relative to the base DN
 * @param groups where groups are, relative to the base DN
 * @param userIdAttribute the attribute holding a person's login name
 * @param userObjectClass the object class of people
 * @param groupObjectClass the object class of groups
 * @param groupIdAttribute the attribute naming a group
 * @param memberAttribute the group attribute listing its members by DN
 * @param connectTimeout how long to wait for a connection to the directory (default 5 s)
 * @param readTimeout how long to wait for the directory's answer (default 10 s)
 */
@Validated
@ConfigurationProperties("portcullis.directory")
public record DirectoryProperties(
    @NotBlank String baseDn,
    @NotBlank String people,
    @NotBlank String groups,
    String userIdAttribute,
    String userObjectClass,
    String groupObjectClass,
    String groupIdAttribute,
    String memberAttribute,
    Duration connectTimeout,
    Duration readTimeout) {

  public DirectoryProperties {
    userIdAttribute = orDefault(userIdAttribute, "uid");
    userObjectClass = orDefault(userObjectClass, "inetOrgPerson");
    groupObjectClass = orDefault(groupObjectClass, "groupOfNames");
    groupIdAttribute = orDefault(groupIdAttribute, "cn");
    memberAttribute = orDefault(memberAttribute, "member");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
  }

  /** The absolute DN under which people are searched. */
  public String peopleDn() {
    return people + "," + baseDn;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
