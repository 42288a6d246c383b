package io.portcullis.connector;

/**
 * An optional power of a connector beyond grant, revoke and holds, which a connector has only where
 * its system allows it ({@link Discovery}, {@link MemberListing}, {@link AccountControl}, {@link
 * BatchRevoke}). Callers ask for one by type, through {@link Connectors#named(String, Class)} or
 * {@link Connectors#withCapability(Class)}, and must cope with its absence: a system that cannot do
 * a thing says so by not having the capability, never by a method that pretends.
 *
 * <p>Sealed, so that a new capability cannot be added without {@link MeteredConnector} learning to
 * count it: the decorator that every registered connector wears must never hide a capability.
 */
public sealed interface Capability permits Discovery, MemberListing, AccountControl, BatchRevoke {}
