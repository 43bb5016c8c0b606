package dev.hoist.runtime;

/** Hostile steps against the built-in chroot backend. */
class NamespaceHostileStepsTest extends HostileStepsContract {
  @Override
  Isolation isolation() {
    return Isolation.CHROOT;
  }
}
