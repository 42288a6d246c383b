package io.portcullis.credential;

import io.portcullis.credential.CredentialStore.Credential;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConflictException;
import io.portcullis.kernel.RequestId;
import io.portcullis.request.AccessRequest;
import io.portcullis.request.HeldAccess;
import java.time.Instant;
import java.util.UUID;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hands a granted request's credential to its requester, once. Who may take it is the request's
 * rule ({@link HeldAccess}: the requester of an ACTIVE request); that it is handed out once is the
 * table's (one credential of a kind per request), so two calls at once cannot both get one. The
 * secret leaves only in the answer; the store and the trail keep its hash and its id.
 */
@Service
class CredentialHandOut {

  static final String KIND_API_KEY = ApiKeyConnectorType.TYPE;

  private final HeldAccess held;
  private final ApiKeyConnectorType apiKeys;
  private final CredentialStore store;
  private final CredentialEvents events;

  CredentialHandOut(
      HeldAccess held,
      ApiKeyConnectorType apiKeys,
      CredentialStore store,
      CredentialEvents events) {
    this.held = held;
    this.apiKeys = apiKeys;
    this.store = store;
    this.events = events;
  }

  /** The key, in clear for this once, and when it dies. */
  record IssuedApiKey(String apiKey, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedApiKey[expiresAt=" + expiresAt + "]";
    }
  }

  @Transactional
  IssuedApiKey issue(Caller caller, RequestId id) {
    AccessRequest request = held.ownActive(caller, id, "take its credential");
    ApiKeyConnector connector =
        apiKeys
            .instance(request.connector())
            .orElseThrow(
                () ->
                    new ConflictException(
                        "The access of request "
                            + id
                            + " is not a credential: "
                            + request.connector()
                            + " hands out none."));
    if (!connector.holds(request.requester(), request.target())) {
      throw new ConflictException(
          "The grant of request " + id + " is not in place; no credential can be handed out.");
    }
    if (store.issuedFor(request.id(), KIND_API_KEY)) {
      throw handedOutAlready(id);
    }
    String key = ApiKeyFormat.newKey();
    Credential credential =
        new Credential(
            UUID.randomUUID().toString(),
            request.id(),
            KIND_API_KEY,
            request.connector(),
            request.requester(),
            request.target(),
            SecretHash.of(key),
            ClockUtil.getCurrentTime().toInstant(),
            request.expiresAt(),
            null);
    try {
      store.insert(credential);
    } catch (DuplicateKeyException e) {
      throw handedOutAlready(id);
    }
    events.issued(credential);
    return new IssuedApiKey(key, request.expiresAt());
  }

  private static ConflictException handedOutAlready(RequestId id) {
    return new ConflictException(
        "The credential of request " + id + " was handed out already: it is handed out once.");
  }
}
