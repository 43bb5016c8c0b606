package dev.hoist.runtime;

/** The sandbox contract on the built-in chroot backend. */
class NamespaceSandboxTest extends SandboxContract {
  @Override
  Isolation isolation() {
    return Isolation.CHROOT;
  }
}
