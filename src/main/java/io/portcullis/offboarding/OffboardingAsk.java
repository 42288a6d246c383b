package io.portcullis.offboarding;

import io.portcullis.kernel.Username;
import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/**
 * What an HR system or an identity provider asks for: offboard {@code username}, now or at {@code
 * effectiveAt}, for {@code reason}. {@code reference} is the caller's own key for the ask (HR's
 * {@code hrReference}, or the SCIM request's), on which the ask is idempotent.
 */
@NamedInterface("asks")
public record OffboardingAsk(
    Username username, Instant effectiveAt, String reason, String reference) {}
