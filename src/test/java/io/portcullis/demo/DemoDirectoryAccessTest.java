package io.portcullis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DeleteRequest;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyDNRequest;
import com.unboundid.ldap.sdk.PLAINBindRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult;
import io.portcullis.support.PortcullisTest;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The demo directory is private (issue 24, finding 2), tried over a real LDAP connection as a
 * stranger on the café's network, an anonymous client and a demo user would: it listens on the
 * loopback address only; anonymous clients read nothing but the root DSE; people bind but read only
 * their own entry, without any password or stash; only the service account reads secrets and
 * writes.
 */
@PortcullisTest
class DemoDirectoryAccessTest {

  static final String BASE = "dc=portcullis,dc=demo";
  static final String ADMIN = "cn=admin," + BASE;
  static final String ALICE = "uid=alice,ou=people," + BASE;
  static final String ERIN = "uid=erin,ou=people," + BASE;
  static final String ADMINS = "cn=portcullis-admins,ou=groups," + BASE;
  static final String STASH = "portcullisStashedPassword";

  @Autowired InMemoryDirectoryServer directoryServer;
  @Autowired DemoDirectoryAccess access;

  LDAPConnection connect() throws LDAPException {
    return new LDAPConnection("127.0.0.1", directoryServer.getListenPort());
  }

  LDAPConnection bound(String dn, String password) throws LDAPException {
    LDAPConnection connection = connect();
    connection.bind(dn, password);
    return connection;
  }

  @Test
  void theListener_isOnTheLoopbackAddressOnly() throws Exception {
    Optional<InetAddress> outside =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .filter(
                nic -> {
                  try {
                    return nic.isUp() && !nic.isLoopback();
                  } catch (Exception e) {
                    return false;
                  }
                })
            .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
            .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
            .min(
                (a, b) ->
                    Boolean.compare(!(a instanceof Inet4Address), !(b instanceof Inet4Address)));
    assumeTrue(outside.isPresent(), "this machine has no address but loopback");
    try (Socket socket = new Socket()) {
      assertThatThrownBy(
              () ->
                  socket.connect(
                      new InetSocketAddress(outside.get(), directoryServer.getListenPort()), 2000))
          .as("the directory's port on " + outside.get())
          .isInstanceOf(ConnectException.class);
    }
    try (LDAPConnection local = connect()) {
      assertThat(local.isConnected()).isTrue();
    }
    assertThat(directoryServer.getListenAddress().getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void anonymousClients_readNothingButTheRootDse() throws Exception {
    try (LDAPConnection anonymous = connect()) {
      assertThat(anonymous.getRootDSE()).as("the root DSE: what the server supports").isNotNull();
      for (String base : new String[] {BASE, "ou=people," + BASE, ALICE, ADMINS}) {
        assertRefused(() -> anonymous.search(base, SearchScope.SUB, "(objectClass=*)", "*", "+"));
      }
      assertRefused(() -> anonymous.compare(ALICE, "userPassword", "alice-demo"));
      // a bind with a name and no password is anonymous too (RFC 4513's unauthenticated bind)
      anonymous.bind("", "");
      assertRefused(() -> anonymous.search(ALICE, SearchScope.BASE, "(objectClass=*)"));
      assertRefused(
          () -> anonymous.modify(ADMINS, new Modification(ModificationType.ADD, "member", ALICE)));
    }
  }

  @Test
  void aPerson_bindsAndReadsOnlyTheirOwnEntry_withoutPasswordOrStash() throws Exception {
    // the stash the ldap-group connector writes when it disables someone, here beside alice's
    // password
    directoryServer.modify(
        ALICE,
        new Modification(ModificationType.ADD, "objectClass", "portcullisDisabledAccount"),
        new Modification(ModificationType.ADD, STASH, "c2VjcmV0"));
    try (LDAPConnection alice = bound(ALICE, "alice-demo")) {
      SearchResultEntry own = alice.getEntry(ALICE, "*", "+", "userPassword", STASH);
      assertThat(own).isNotNull();
      assertThat(own.getAttributeValue("uid")).isEqualTo("alice");
      assertThat(own.getAttributeValue("mail")).isEqualTo("alice@portcullis.demo");
      assertThat(own.hasAttribute("userPassword")).isFalse();
      assertThat(own.hasAttribute(STASH)).isFalse();
      // no filter may ask about the hidden attributes of anyone else
      assertRefused(() -> alice.search(BASE, SearchScope.SUB, "(userPassword=erin-demo)"));
      assertRefused(() -> alice.search(ERIN, SearchScope.BASE, "(objectClass=*)"));
      assertRefused(() -> alice.search(ADMINS, SearchScope.BASE, "(objectClass=*)", "member"));
      assertRefused(() -> alice.compare(ERIN, "userPassword", "erin-demo"));
      WhoAmIExtendedResult whoAmI =
          (WhoAmIExtendedResult) alice.processExtendedOperation(new WhoAmIExtendedRequest());
      assertThat(whoAmI.getAuthorizationID()).isEqualToIgnoringCase("dn:" + ALICE);
    } finally {
      directoryServer.modify(
          ALICE,
          new Modification(ModificationType.DELETE, STASH),
          new Modification(ModificationType.DELETE, "objectClass", "portcullisDisabledAccount"));
    }
  }

  @Test
  void aPerson_writesNothing_notEvenTheirOwnPassword() throws Exception {
    try (LDAPConnection alice = bound(ALICE, "alice-demo")) {
      assertRefused(
          () -> alice.modify(ADMINS, new Modification(ModificationType.ADD, "member", ALICE)));
      // a leaver's password put back from the stash, or set anew
      assertRefused(
          () ->
              alice.modify(
                  ERIN, new Modification(ModificationType.REPLACE, "userPassword", "mine-now")));
      assertRefused(
          () ->
              alice.modify(
                  ALICE, new Modification(ModificationType.REPLACE, "userPassword", "changed")));
      assertThat(
              alice
                  .processExtendedOperation(
                      new PasswordModifyExtendedRequest(ERIN, null, "mine-now"))
                  .getResultCode())
          .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
      assertRefused(
          () ->
              alice.add(
                  "cn=alice-admins,ou=groups," + BASE,
                  new Attribute("objectClass", "groupOfNames"),
                  new Attribute("cn", "alice-admins"),
                  new Attribute("member", ALICE)));
      assertRefused(() -> alice.delete(new DeleteRequest(ERIN)));
      assertRefused(() -> alice.modifyDN(new ModifyDNRequest(ERIN, "uid=erin2", true)));
    }
    assertThat(directoryServer.getEntry(ADMINS).getAttributeValues("member")).doesNotContain(ALICE);
    assertThat(directoryServer.getEntry(ERIN).getAttributeValue("userPassword"))
        .isEqualTo("erin-demo");
    assertThat(directoryServer.getEntry("cn=alice-admins,ou=groups," + BASE)).isNull();
  }

  @Test
  void aFailedBind_leavesTheConnectionAnonymous_andSaslBindsAreRefused() throws Exception {
    try (LDAPConnection connection = bound(ADMIN, "admin-demo")) {
      assertThat(connection.getEntry(ALICE, "userPassword").getAttributeValue("userPassword"))
          .isEqualTo("alice-demo");
      assertThatThrownBy(() -> connection.bind(ALICE, "wrong"))
          .isInstanceOf(LDAPException.class)
          .extracting(e -> ((LDAPException) e).getResultCode())
          .isEqualTo(ResultCode.INVALID_CREDENTIALS);
      assertRefused(() -> connection.getEntry(ALICE, "userPassword"));
    }
    try (LDAPConnection connection = connect()) {
      assertThatThrownBy(() -> connection.bind(new PLAINBindRequest("dn:" + ADMIN, "admin-demo")))
          .isInstanceOf(LDAPException.class);
      assertRefused(() -> connection.getEntry(ALICE, "userPassword"));
    }
  }

  @Test
  void theServiceAccount_readsAndWritesEverything() throws Exception {
    try (LDAPConnection admin = bound(ADMIN, "admin-demo")) {
      SearchResult people =
          admin.search("ou=people," + BASE, SearchScope.ONE, "(userPassword=*)", "userPassword");
      assertThat(people.getEntryCount()).isGreaterThan(5);
      admin.modify(ADMINS, new Modification(ModificationType.ADD, "member", ALICE));
      assertThat(admin.getEntry(ADMINS, "member").getAttributeValues("member")).contains(ALICE);
      admin.modify(ADMINS, new Modification(ModificationType.DELETE, "member", ALICE));
      assertThat(admin.getEntry(ADMINS, "member").getAttributeValues("member"))
          .doesNotContain(ALICE);
    }
  }

  @Test
  void closedConnections_areForgotten() throws Exception {
    DemoDirectoryConnections connections = access.connections();
    int open = connections.open();
    int bound = connections.bound();
    try (LDAPConnection alice = bound(ALICE, "alice-demo");
        LDAPConnection admin = bound(ADMIN, "admin-demo")) {
      // the application's own pooled connections open and close meanwhile: ours two are counted
      assertThat(connections.open()).isGreaterThanOrEqualTo(2);
      assertThat(connections.bound()).isGreaterThanOrEqualTo(2);
    }
    for (int i = 0; i < 20; i++) {
      bound(ALICE, "alice-demo").close();
      bound(ADMIN, "admin-demo").close();
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> connections.open() <= open && connections.bound() <= bound);
  }

  static void assertRefused(ThrowingCall call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(LDAPException.class)
        .extracting(e -> ((LDAPException) e).getResultCode())
        .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
  }

  interface ThrowingCall {
    void run() throws Exception;
  }
}
