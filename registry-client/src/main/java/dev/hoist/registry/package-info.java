/**
 * The OCI distribution API client. Start at {@link dev.hoist.registry.RegistryClient}: {@code pull}
 * into a {@link dev.hoist.image.BlobSink} (the store), {@code push} from a {@link
 * dev.hoist.image.BlobSource}, {@code fetchManifest}, {@code checkLogin}. Credentials come from a
 * {@link dev.hoist.registry.CredentialProvider}, normally {@link
 * dev.hoist.registry.DockerCredentials#fromEnvironment()}. Failures are {@link
 * dev.hoist.registry.RegistryException}s with one-line messages, the HTTP status, the spec's error
 * codes and whether a retry may help.
 *
 * <p>Inside, one package-private class per operation ({@code ManifestPuller}, {@code BlobPuller},
 * {@code BlobChecker}, {@code BlobPusher}, {@code ManifestPusher}) sends {@code
 * Transport.Exchange}s through {@code Transport}, which picks https or http, attaches credentials
 * only for the registry's own host, answers 401 challenges through {@code Authenticator}, follows
 * redirects itself and retries transient failures. No okhttp or Jackson type is public.
 */
package dev.hoist.registry;
