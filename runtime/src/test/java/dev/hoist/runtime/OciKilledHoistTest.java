package dev.hoist.runtime;

/** SIGKILL of hoist during OCI-backend steps. */
class OciKilledHoistTest extends KilledHoistContract {
  @Override
  Isolation isolation() {
    return Isolation.OCI;
  }
}
