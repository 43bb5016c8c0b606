package dev.hoist.runtime;

/** SIGKILL of hoist during chroot-backend steps. */
class NamespaceKilledHoistTest extends KilledHoistContract {
  @Override
  Isolation isolation() {
    return Isolation.CHROOT;
  }
}
