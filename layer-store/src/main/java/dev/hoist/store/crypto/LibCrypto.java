package dev.hoist.store.crypto;

import jnr.ffi.Pointer;

/**
 * The SHA-256 functions of the system's OpenSSL {@code libcrypto}, bound by jnr-ffi. Every argument
 * is native memory ({@link NativeSha256} keeps the context and its input there), so a call passes
 * addresses and jnr copies nothing.
 *
 * <p>Public only because jnr-ffi implements it in another class loader; use {@link NativeDigests}
 * instead.
 */
public interface LibCrypto {
  int SHA256_Init(Pointer ctx);

  int SHA256_Update(Pointer ctx, Pointer data, long length);

  int SHA256_Final(Pointer digest, Pointer ctx);
}
