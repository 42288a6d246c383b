package io.portcullis.offboarding;

import org.springframework.stereotype.Service;

/**
 * What the doors of offboarding (the HR API, SCIM) do. Every door asks through here, so the rules of
 * an ask (idempotence on the reference, one open offboarding a person) have one home.
 */
@Service
public class Offboardings {

  /**
   * Starts the offboarding of {@code ask.username()} for the HR API: the same reference twice is the same
   * offboarding ({@code created} false), never a second saga.
   *
   * @throws io.portcullis.web.ApiException 409 when the person is already being offboarded under another
   *     reference, naming that offboarding
   */
  public Started start(String requestedBy, OffboardingAsk ask) {
    throw new UnsupportedOperationException("issue 12: being built");
  }

  /**
   * Starts the offboarding of {@code ask.username()}, or joins the one that is already open for the
   * person, whatever its reference: what an identity provider's repeated deactivations need.
   */
  public Started startOrJoin(String requestedBy, OffboardingAsk ask) {
    throw new UnsupportedOperationException("issue 12: being built");
  }

  /** The offboarding an ask led to, and whether this ask created it. */
  public record Started(Offboarding offboarding, boolean created) {}
}
