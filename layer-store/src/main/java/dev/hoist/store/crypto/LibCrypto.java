package dev.hoist.store.crypto;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The SHA-256 functions of the system's OpenSSL {@code libcrypto}, bound by jnr-ffi. The context is
 * OpenSSL's {@code SHA256_CTX} (112 bytes) kept in a Java array, copied in and out around each
 * call.
 *
 * <p>Public only because jnr-ffi implements it in another class loader; use {@link NativeDigests}
 * instead.
 */
public interface LibCrypto {
  int SHA256_Init(byte[] ctx);

  int SHA256_Update(byte[] ctx, @In byte[] data, long length);

  int SHA256_Final(@Out byte[] digest, byte[] ctx);
}
