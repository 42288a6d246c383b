package io.portcullis.connector.ldap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ldap-group connector's own settings, under {@code portcullis.connectors.ldap-group}; where
 * people and groups are is {@code portcullis.directory.*}, shared with logins.
 *
 * @param pageSize how many groups one page of a discovery search brings (default 500): below the
 *     server's size limit (OpenLDAP's default 500, Active Directory's MaxPageSize 1000), so a
 *     person in thousands of groups is still found in full
 * @param accountControl how the connector disables a person's account
 */
@Validated
@ConfigurationProperties("portcullis.connectors.ldap-group")
public record LdapGroupProperties(
    @DefaultValue("500") @Min(1) @Max(10_000) int pageSize,
    @DefaultValue @Valid AccountControlSettings accountControl) {

  /**
   * No account control, the default page size: what a connector built outside the application has.
   */
  public static LdapGroupProperties defaults() {
    return new LdapGroupProperties(500, AccountControlSettings.none());
  }

  /**
   * @param method how an account is disabled; {@code none} (the default) leaves the connector
   *     without the account-control capability, so an offboarding reports that it could not freeze
   *     the account instead of pretending to
   * @param stashAttribute for {@code stashed-password}: where a disabled person's password is kept
   * @param stashObjectClass for {@code stashed-password}: the auxiliary object class that allows
   *     {@code stashAttribute} and marks the account as disabled
   */
  public record AccountControlSettings(
      @DefaultValue("none") DisableMethod method,
      @DefaultValue("portcullisStashedPassword") @Pattern(regexp = ATTRIBUTE_NAME) String stashAttribute,
      @DefaultValue("portcullisDisabledAccount") @Pattern(regexp = ATTRIBUTE_NAME) String stashObjectClass) {

    /** An LDAP attribute or object class name (RFC 4512 descr): letters, digits and hyphens. */
    static final String ATTRIBUTE_NAME = "[A-Za-z][A-Za-z0-9-]{0,63}";

    static AccountControlSettings none() {
      return new AccountControlSettings(
          DisableMethod.NONE, "portcullisStashedPassword", "portcullisDisabledAccount");
    }

    public static AccountControlSettings of(DisableMethod method) {
      return new AccountControlSettings(
          method, "portcullisStashedPassword", "portcullisDisabledAccount");
    }
  }

  /**
   * The ways a directory account can be disabled; each is a different directory's own mechanism.
   */
  public enum DisableMethod {
    /** No account control: the connector has no {@code AccountControl} capability. */
    NONE,
    /**
     * OpenLDAP's ppolicy overlay: {@code pwdAccountLockedTime: 000001010000Z} locks the account for
     * good (until the value is removed), and the overlay refuses every bind meanwhile.
     */
    PPOLICY,
    /**
     * Active Directory: the ACCOUNTDISABLE bit (2) of {@code userAccountControl}, other bits kept.
     */
    ACTIVE_DIRECTORY,
    /**
     * For a directory with no lockout of its own (the embedded demo directory): the person's {@code
     * userPassword} values are moved into {@code stash-attribute}, so no password binds, and moved
     * back on enable. Needs a schema with {@code stash-object-class} (the demo's is {@code
     * demo/schema.ldif}); on a real directory, protect the stash attribute as strictly as {@code
     * userPassword}.
     */
    STASHED_PASSWORD
  }
}
