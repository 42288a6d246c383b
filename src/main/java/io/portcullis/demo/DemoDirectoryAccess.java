package io.portcullis.demo;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedCompareRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedExtendedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSASLBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchReference;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Who may do what in the embedded demo directory, which UnboundID's in-memory server leaves open to
 * every client (issue 24: anyone could read every password and the stash of leavers' passwords, or
 * add themselves to the admin group). The rules, like those of {@code docker/openldap-access.ldif}
 * for OpenLDAP:
 *
 * <ul>
 *   <li>the service account ({@code spring.ldap.embedded.credential.username}, which Portcullis
 *       binds as) reads and writes everything;
 *   <li>a person binds (that is how their password is checked) and reads their own entry, without
 *       any attribute but their names, mail and object classes: never a password or the stash;
 *   <li>an anonymous client reads the root DSE (what the server supports) and nothing else;
 *   <li>nobody but the service account adds, changes, renames, deletes or compares anything, or
 *       uses an extended operation other than "Who am I?"; SASL binds are refused (the demo has
 *       only simple ones).
 * </ul>
 *
 * <p>The in-memory server does not tell an interceptor who a connection is bound as, so the outcome
 * of each bind is kept per connection ({@link DemoDirectoryConnections}): a successful simple bind
 * with a password sets it, any other bind (a failed one, an anonymous one) makes the connection
 * anonymous again, as the server itself does.
 */
final class DemoDirectoryAccess extends InMemoryOperationInterceptor {

  /**
   * The attributes of their own entry that a person may read: a fail-closed list, not a deny-list.
   */
  static final Set<String> OWN_ENTRY_ATTRIBUTES =
      Set.of("objectclass", "uid", "cn", "sn", "givenname", "displayname", "mail");

  private static final DN ROOT_DSE = DN.NULL_DN;

  private final DN serviceAccount;
  private final DemoDirectoryConnections connections = new DemoDirectoryConnections();

  DemoDirectoryAccess(String serviceAccount) throws LDAPException {
    this.serviceAccount = new DN(serviceAccount);
  }

  /** Who each open connection is bound as. */
  DemoDirectoryConnections connections() {
    return connections;
  }

  @Override
  public void processSimpleBindResult(InMemoryInterceptedSimpleBindResult bind) {
    boolean authenticated =
        bind.getResult().getResultCode() == ResultCode.SUCCESS
            && bind.getRequest().getPassword() != null
            && bind.getRequest().getPassword().getValueLength() > 0;
    DN dn = authenticated ? parse(bind.getRequest().getBindDN()) : null;
    if (dn == null || dn.isNullDN()) {
      connections.anonymous(bind.getConnectionID());
    } else {
      connections.bound(bind.getConnectionID(), dn);
    }
  }

  @Override
  public void processSASLBindRequest(InMemoryInterceptedSASLBindRequest bind) throws LDAPException {
    connections.anonymous(bind.getConnectionID());
    throw new LDAPException(
        ResultCode.AUTH_METHOD_NOT_SUPPORTED, "the demo directory takes simple binds only");
  }

  @Override
  public void processSearchRequest(InMemoryInterceptedSearchRequest search) throws LDAPException {
    DN caller = connections.boundAs(search.getConnectionID());
    if (serviceAccount.equals(caller)) {
      return;
    }
    DN base = parse(search.getRequest().getBaseDN());
    if (ROOT_DSE.equals(base) && search.getRequest().getScope() == SearchScope.BASE) {
      return;
    }
    // a person's search stays on their own entry, so that no filter can ask about anyone else's
    // attributes
    if (caller == null || !caller.equals(base)) {
      throw refused(search, "read");
    }
  }

  @Override
  public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
    DN caller = connections.boundAs(result.getConnectionID());
    if (serviceAccount.equals(caller)) {
      return;
    }
    SearchResultEntry entry = result.getSearchEntry();
    DN dn = parse(entry.getDN());
    if (ROOT_DSE.equals(dn)) {
      return;
    }
    if (caller == null || !caller.equals(dn)) {
      result.setSearchEntry(null);
      return;
    }
    Entry visible = new Entry(entry.getDN());
    for (Attribute attribute : entry.getAttributes()) {
      if (OWN_ENTRY_ATTRIBUTES.contains(attribute.getBaseName().toLowerCase(Locale.ROOT))) {
        visible.addAttribute(attribute);
      }
    }
    result.setSearchEntry(visible);
  }

  @Override
  public void processSearchReference(InMemoryInterceptedSearchReference reference) {
    if (!serviceAccount.equals(connections.boundAs(reference.getConnectionID()))) {
      reference.setSearchReference(null);
    }
  }

  @Override
  public void processCompareRequest(InMemoryInterceptedCompareRequest compare)
      throws LDAPException {
    // a compare of userPassword would be a password oracle
    serviceAccountOnly(compare, "compare");
  }

  @Override
  public void processAddRequest(InMemoryInterceptedAddRequest add) throws LDAPException {
    serviceAccountOnly(add, "add");
  }

  @Override
  public void processModifyRequest(InMemoryInterceptedModifyRequest modify) throws LDAPException {
    serviceAccountOnly(modify, "modify");
  }

  @Override
  public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest rename)
      throws LDAPException {
    serviceAccountOnly(rename, "rename");
  }

  @Override
  public void processDeleteRequest(InMemoryInterceptedDeleteRequest delete) throws LDAPException {
    serviceAccountOnly(delete, "delete");
  }

  @Override
  public void processExtendedRequest(InMemoryInterceptedExtendedRequest extended)
      throws LDAPException {
    if (!WhoAmIExtendedRequest.WHO_AM_I_REQUEST_OID.equals(extended.getRequest().getOID())) {
      serviceAccountOnly(extended, "use this extended operation");
    }
  }

  private void serviceAccountOnly(InMemoryInterceptedRequest request, String what)
      throws LDAPException {
    if (!serviceAccount.equals(connections.boundAs(request.getConnectionID()))) {
      throw refused(request, what);
    }
  }

  private LDAPException refused(InMemoryInterceptedRequest request, String what) {
    String who =
        connections.boundAs(request.getConnectionID()) != null
            ? "this account"
            : "an anonymous client";
    return new LDAPException(
        ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
        "the demo directory does not let "
            + who
            + " "
            + what
            + " here: people read their own entry, only the service account reads the rest and writes");
  }

  /** A DN as the server compares them; one that does not parse matches nothing. */
  private static DN parse(String dn) {
    try {
      return new DN(dn == null ? "" : dn);
    } catch (LDAPException e) {
      return null;
    }
  }
}
